using System.Net;
using StreamPredict.Aws.Kinesis;

namespace StreamPredict.Tests.Aws;

public sealed class KinesisRetryTests
{
    private const string Created = "{}";
    private static readonly PutRecordsEntry[] OneEntry = [new("x"u8.ToArray(), "k")];

    [Fact]
    public async Task Server_errors_are_retried_until_a_success()
    {
        using var handler = new FakeKinesisHandler(attempt => attempt < 3
            ? FakeKinesisHandler.Error(HttpStatusCode.InternalServerError, "InternalFailure")
            : FakeKinesisHandler.Json(HttpStatusCode.OK, Created));
        using var kinesis = KinesisTestClients.Create(handler);

        await kinesis.CreateStreamAsync("rides", 1, CancellationToken.None);

        Assert.Equal(3, handler.Attempts);
    }

    [Fact]
    public async Task Throttling_that_never_stops_gives_up_after_the_attempt_budget_with_a_typed_error()
    {
        using var handler = new FakeKinesisHandler(_ =>
            FakeKinesisHandler.Error(HttpStatusCode.BadRequest, "ProvisionedThroughputExceededException", "Rate exceeded for shard"));
        using var kinesis = KinesisTestClients.Create(handler, maxAttempts: 4);

        var error = await Assert.ThrowsAsync<KinesisProvisionedThroughputExceededException>(
            () => kinesis.PutRecordsAsync("rides", OneEntry, CancellationToken.None));

        Assert.Equal(4, handler.Attempts);
        Assert.Contains("Rate exceeded for shard", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ValidationException")]
    [InlineData("ResourceNotFoundException")]
    [InlineData("AccessDeniedException")]
    public async Task Client_errors_are_not_retried(string code)
    {
        using var handler = new FakeKinesisHandler(_ => FakeKinesisHandler.Error(HttpStatusCode.BadRequest, code));
        using var kinesis = KinesisTestClients.Create(handler);

        var error = await Assert.ThrowsAnyAsync<KinesisException>(() => kinesis.DescribeStreamSummaryAsync("rides", CancellationToken.None));

        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(1, handler.Attempts);
    }

    [Fact]
    public async Task Connection_failures_are_retried()
    {
        using var handler = new FakeKinesisHandler(attempt => attempt < 3
            ? throw new HttpRequestException("Connection refused")
            : FakeKinesisHandler.Json(HttpStatusCode.OK, Created));
        using var kinesis = KinesisTestClients.Create(handler);

        await kinesis.DeleteStreamAsync("rides", CancellationToken.None);

        Assert.Equal(3, handler.Attempts);
    }

    [Fact]
    public async Task Connection_failures_past_the_budget_name_the_operation_and_endpoint()
    {
        using var handler = new FakeKinesisHandler(_ => throw new HttpRequestException("Connection refused"));
        using var kinesis = KinesisTestClients.Create(handler, maxAttempts: 3);

        var error = await Assert.ThrowsAsync<KinesisException>(() => kinesis.DeleteStreamAsync("rides", CancellationToken.None));

        Assert.Equal(3, handler.Attempts);
        Assert.Equal("RequestFailed", error.ErrorCode);
        Assert.Contains("DeleteStream to http://127.0.0.1:4567/ failed after 3 attempt(s): Connection refused", error.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_retried()
    {
        using var cancellation = new CancellationTokenSource();
        using var handler = new FakeKinesisHandler(_ =>
        {
            cancellation.Cancel();
            throw new TaskCanceledException();
        });
        using var kinesis = KinesisTestClients.Create(handler);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => kinesis.DeleteStreamAsync("rides", cancellation.Token));

        Assert.Equal(1, handler.Attempts);
    }

    [Fact]
    public void Backoff_grows_exponentially_up_to_the_cap_and_the_jitter_scales_all_of_it()
    {
        var top = new KinesisRetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), NextJitter = () => 1.0 };

        Assert.Equal([100, 200, 400, 800, 1000, 1000], Enumerable.Range(1, 6).Select(n => top.DelayBeforeRetry(n).TotalMilliseconds));

        var jittered = new KinesisRetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), NextJitter = () => 0.25 };
        Assert.Equal(TimeSpan.FromMilliseconds(100), jittered.DelayBeforeRetry(3));
        var none = new KinesisRetryPolicy { NextJitter = () => 0.0 };
        Assert.Equal(TimeSpan.Zero, none.DelayBeforeRetry(5));
    }

    [Fact]
    public void A_policy_without_attempts_is_rejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => new KinesisClient(KinesisTestClients.Environment, new KinesisRetryPolicy { MaxAttempts = 0 }));

        Assert.Contains("MaxAttempts", error.Message, StringComparison.Ordinal);
    }
}
