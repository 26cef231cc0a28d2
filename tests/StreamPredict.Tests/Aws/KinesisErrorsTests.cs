using System.Text;
using StreamPredict.Aws.Kinesis;

namespace StreamPredict.Tests.Aws;

public sealed class KinesisErrorsTests
{
    [Theory]
    [InlineData("ResourceNotFoundException", typeof(KinesisResourceNotFoundException))]
    [InlineData("ProvisionedThroughputExceededException", typeof(KinesisProvisionedThroughputExceededException))]
    [InlineData("LimitExceededException", typeof(KinesisLimitExceededException))]
    [InlineData("ExpiredIteratorException", typeof(KinesisExpiredIteratorException))]
    [InlineData("ValidationException", typeof(KinesisValidationException))]
    [InlineData("InvalidArgumentException", typeof(KinesisValidationException))]
    [InlineData("SerializationException", typeof(KinesisValidationException))]
    [InlineData("AccessDeniedException", typeof(KinesisAccessDeniedException))]
    [InlineData("UnrecognizedClientException", typeof(KinesisAccessDeniedException))]
    [InlineData("InvalidSignatureException", typeof(KinesisAccessDeniedException))]
    [InlineData("ExpiredTokenException", typeof(KinesisAccessDeniedException))]
    [InlineData("ResourceInUseException", typeof(KinesisException))]
    public void Each_error_code_maps_to_its_exception_type(string code, Type expected)
    {
        var error = KinesisErrors.Create("PutRecords", code, 400, "details here");

        Assert.IsType(expected, error);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal($"Kinesis PutRecords failed with {code} (HTTP 400): details here", error.Message);
    }

    [Fact]
    public void The_namespace_prefix_of___type_is_dropped_and_Message_is_read_in_either_case()
    {
        var body = """{"__type":"com.amazonaws.kinesis.v20131202#ExpiredIteratorException","Message":"Iterator expired"}"""u8;

        var error = KinesisErrors.FromResponse("GetRecords", 400, errorTypeHeader: null, body);

        var expired = Assert.IsType<KinesisExpiredIteratorException>(error);
        Assert.Equal("ExpiredIteratorException", expired.ErrorCode);
        Assert.Contains("Iterator expired", expired.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_error_type_header_is_used_when_the_body_has_no_type()
    {
        var error = KinesisErrors.FromResponse("ListShards", 400, "LimitExceededException:http://internal.amazon.com/", "{}"u8);

        Assert.IsType<KinesisLimitExceededException>(error);
    }

    [Fact]
    public void A_non_json_body_still_gives_an_error_named_after_the_status()
    {
        var error = KinesisErrors.FromResponse("PutRecords", 502, null, Encoding.UTF8.GetBytes("<html>Bad Gateway</html>"));

        Assert.Equal("Http502", error.ErrorCode);
        Assert.Equal(502, error.StatusCode);
        Assert.True(KinesisErrors.IsRetryable(error));
    }

    [Theory]
    [InlineData("ProvisionedThroughputExceededException", 400, true)]
    [InlineData("LimitExceededException", 400, true)]
    [InlineData("ThrottlingException", 400, true)]
    [InlineData("InternalFailure", 500, true)]
    [InlineData("ServiceUnavailable", 503, true)]
    [InlineData("Http429", 429, true)]
    [InlineData("ResourceNotFoundException", 400, false)]
    [InlineData("ValidationException", 400, false)]
    [InlineData("AccessDeniedException", 400, false)]
    [InlineData("ExpiredIteratorException", 400, false)]
    public void Throttling_and_server_errors_are_retryable_and_nothing_else(string code, int status, bool retryable)
    {
        Assert.Equal(retryable, KinesisErrors.IsRetryable(KinesisErrors.Create("PutRecords", code, status, null)));
    }

    [Theory]
    [InlineData("ProvisionedThroughputExceededException", 400, false)]
    [InlineData("KMSThrottlingException", 400, false)]
    [InlineData("InternalFailure", 500, false)]
    [InlineData("Http502", 502, false)]
    [InlineData("RequestFailed", 0, false)]
    [InlineData("Http429", 429, false)]
    [InlineData("InternalFailure", 200, false)]
    [InlineData("SomethingNew", 200, false)]
    [InlineData("ResourceNotFoundException", 400, true)]
    [InlineData("AccessDeniedException", 400, true)]
    [InlineData("UnrecognizedClientException", 400, true)]
    [InlineData("KMSAccessDeniedException", 400, true)]
    [InlineData("KMSDisabledException", 400, true)]
    [InlineData("KMSNotFoundException", 200, true)]
    [InlineData("KMSInvalidStateException", 400, true)]
    [InlineData("ValidationException", 400, true)]
    [InlineData("InvalidArgumentException", 400, true)]
    [InlineData("SomethingNew", 400, true)]
    public void Throttling_5xx_and_the_network_are_retryable_while_missing_streams_access_KMS_and_validation_are_permanent(string code, int status, bool permanent)
    {
        Assert.Equal(permanent, KinesisErrorClassifier.IsPermanent(code, status));
        Assert.Equal(permanent, KinesisErrorClassifier.IsPermanent(KinesisErrors.Create("PutRecords", code, status, null)));
    }

    [Fact]
    public void Transport_failures_and_timeouts_are_retryable()
    {
        Assert.False(KinesisErrorClassifier.IsPermanent(new HttpRequestException("connection refused")));
        Assert.False(KinesisErrorClassifier.IsPermanent(new IOException("reset")));
        Assert.False(KinesisErrorClassifier.IsPermanent(new TaskCanceledException("timeout")));
    }

    [Fact]
    public void A_PutRecords_entry_fails_permanently_only_for_a_permanent_code()
    {
        Assert.False(new PutRecordsResultEntry("1", "shardId-0", null, null).FailedPermanently);
        Assert.False(new PutRecordsResultEntry(null, null, "ProvisionedThroughputExceededException", "slow down").FailedPermanently);
        Assert.False(new PutRecordsResultEntry(null, null, "InternalFailure", "try again").FailedPermanently);
        Assert.True(new PutRecordsResultEntry(null, null, "KMSAccessDeniedException", "no key").FailedPermanently);
    }
}
