using System.Net;
using System.Text;
using System.Text.Json;
using StreamPredict.Aws.Kinesis;

namespace StreamPredict.Tests.Aws;

/// <summary>PutRecords' answer, read by hand: the serializer context's rules, and named refusals.</summary>
public sealed class PutRecordsResponseTests
{
    [Fact]
    public void Reads_every_entry_in_order_with_nulls_escapes_and_unknown_members()
    {
        var json = """
            {"EncryptionType":"NONE","FailedRecordCount":1,"Records":[
              {"ErrorCode":null,"ErrorMessage":null,"SequenceNumber":"4968","ShardId":"shardId-000000000001","Extra":{"a":[1]}},
              {"ErrorCode":"ProvisionedThroughputExceededException","ErrorMessage":"Rate \"exceeded\" \u00e9"}]}
            """u8;

        var result = PutRecordsResponse.Read(json);

        Assert.Equal(1, result.FailedRecordCount);
        Assert.Equal(
            [new("4968", "shardId-000000000001", null, null), new(null, null, "ProvisionedThroughputExceededException", "Rate \"exceeded\" é")],
            result.Records);
    }

    [Fact]
    public void Member_names_match_case_insensitively_even_when_escaped()
    {
        var result = PutRecordsResponse.Read("""{"failedrecordcount":0,"RECORDS":[{"sequenceNumber":"1","\u0053hardId":"s"}]}"""u8);

        Assert.Equal(0, result.FailedRecordCount);
        Assert.Equal(new PutRecordsResultEntry("1", "s", null, null), Assert.Single(result.Records));
    }

    [Fact]
    public void An_absent_failed_record_count_reads_as_zero_as_before()
    {
        Assert.Equal(0, PutRecordsResponse.Read("""{"Records":[]}"""u8).FailedRecordCount);
    }

    [Theory]
    [InlineData("""{"FailedRecordCount":0}""", "the answer has no Records")]
    [InlineData("""{"FailedRecordCount":0,"Records":null}""", "Records must be an array, found Null")]
    [InlineData("""{"FailedRecordCount":"0","Records":[]}""", "FailedRecordCount must be an integer, found String")]
    [InlineData("""{"FailedRecordCount":0,"Records":[{"ShardId":"s"},null]}""", "Records[1] must be an object, found Null")]
    [InlineData("""{"FailedRecordCount":0,"Records":[{"ErrorCode":5}]}""", "Records[0].ErrorCode must be a string, found Number")]
    [InlineData("""[]""", "the answer must be an object, found StartArray")]
    public void A_malformed_answer_is_refused_naming_what_is_wrong(string json, string expected)
    {
        var error = Assert.ThrowsAny<JsonException>(() => PutRecordsResponse.Read(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"Records":[]} x""")]
    [InlineData("""{"Records":[""")]
    [InlineData("")]
    public void Broken_json_is_refused(string json)
    {
        Assert.ThrowsAny<JsonException>(() => PutRecordsResponse.Read(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public async Task The_client_reports_a_malformed_answer_as_an_invalid_response()
    {
        using var handler = new FakeKinesisHandler(_ => FakeKinesisHandler.Json(HttpStatusCode.OK, """{"FailedRecordCount":0}"""));
        using var kinesis = KinesisTestClients.Create(handler);

        var error = await Assert.ThrowsAsync<KinesisException>(
            () => kinesis.PutRecordsAsync("rides", [new("a"u8.ToArray(), "1")], CancellationToken.None));

        Assert.Equal("InvalidResponse", error.ErrorCode);
        Assert.Contains("Kinesis PutRecords answered JSON that does not parse: the answer has no Records.", error.Message, StringComparison.Ordinal);
    }
}
