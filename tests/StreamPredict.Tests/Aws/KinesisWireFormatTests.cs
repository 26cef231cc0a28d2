using System.Net;
using System.Text;
using System.Text.Json;
using StreamPredict.Aws.Kinesis;

namespace StreamPredict.Tests.Aws;

public sealed class KinesisWireFormatTests
{
    [Fact]
    public async Task PutRecords_sends_a_signed_json_body_with_base64_data_partition_keys_and_the_stream_name()
    {
        using var handler = new FakeKinesisHandler(_ => FakeKinesisHandler.Json(HttpStatusCode.OK,
            """{"FailedRecordCount":0,"Records":[{"SequenceNumber":"1","ShardId":"shardId-000000000000"},{"SequenceNumber":"2","ShardId":"shardId-000000000001"}]}"""));
        using var kinesis = KinesisTestClients.Create(handler);
        byte[] binary = [0, 1, 2, 254, 255];

        await kinesis.PutRecordsAsync("rides", [new(binary, "ride-1"), new("{\"a\":1}"u8.ToArray(), "ride-2")], CancellationToken.None);

        var (request, body) = Assert.Single(handler.Sent);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri("http://127.0.0.1:4567/"), request.RequestUri);
        Assert.Equal("Kinesis_20131202.PutRecords", request.Headers.GetValues("X-Amz-Target").Single());
        Assert.Equal("application/x-amz-json-1.1", request.Content!.Headers.ContentType!.MediaType);
        var authorization = request.Headers.GetValues("Authorization").Single();
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", authorization, StringComparison.Ordinal);
        Assert.Contains("/us-east-1/kinesis/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=", authorization, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal(["StreamName", "Records"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("rides", root.GetProperty("StreamName").GetString());
        var records = root.GetProperty("Records").EnumerateArray().ToArray();
        Assert.Equal(2, records.Length);
        Assert.Equal(["Data", "PartitionKey"], records[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(Convert.ToBase64String(binary), records[0].GetProperty("Data").GetString());
        Assert.Equal("ride-1", records[0].GetProperty("PartitionKey").GetString());
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(records[1].GetProperty("Data").GetBytesFromBase64()));
    }

    [Fact]
    public async Task PutRecords_returns_per_entry_results_in_request_order_including_failures()
    {
        using var handler = new FakeKinesisHandler(_ => FakeKinesisHandler.Json(HttpStatusCode.OK, """
            {"EncryptionType":"NONE","FailedRecordCount":1,"Records":[
              {"ErrorCode":null,"ErrorMessage":null,"SequenceNumber":"4968","ShardId":"shardId-000000000001"},
              {"ErrorCode":"ProvisionedThroughputExceededException","ErrorMessage":"Rate exceeded"}]}
            """));
        using var kinesis = KinesisTestClients.Create(handler);

        var result = await kinesis.PutRecordsAsync("rides", [new("a"u8.ToArray(), "1"), new("b"u8.ToArray(), "2")], CancellationToken.None);

        Assert.Equal(1, result.FailedRecordCount);
        Assert.Equal(new PutRecordsResultEntry("4968", "shardId-000000000001", null, null), result.Records[0]);
        Assert.True(result.Records[0].Succeeded);
        Assert.False(result.Records[1].Succeeded);
        Assert.Equal("ProvisionedThroughputExceededException", result.Records[1].ErrorCode);
        Assert.Equal("Rate exceeded", result.Records[1].ErrorMessage);
        Assert.Equal(1, handler.Attempts);
    }

    [Fact]
    public async Task GetRecords_decodes_data_timestamps_and_the_next_iterator()
    {
        using var handler = new FakeKinesisHandler(_ => FakeKinesisHandler.Json(HttpStatusCode.OK, """
            {"ChildShards":null,"MillisBehindLatest":42,"NextShardIterator":"next-it","Records":[
              {"ApproximateArrivalTimestamp":1795289403.695,"Data":"AAH+/w==","EncryptionType":"NONE","PartitionKey":"a","SequenceNumber":"123"}]}
            """));
        using var kinesis = KinesisTestClients.Create(handler);

        var page = await kinesis.GetRecordsAsync("it-1", CancellationToken.None, limit: 10);

        var record = Assert.Single(page.Records);
        Assert.Equal(new byte[] { 0, 1, 254, 255 }, record.Data);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795289403695), record.ApproximateArrivalTimestamp);
        Assert.Equal("a", record.PartitionKey);
        Assert.Equal("123", record.SequenceNumber);
        Assert.Equal("next-it", page.NextShardIterator);
        Assert.Equal(42, page.MillisBehindLatest);
        using var sent = JsonDocument.Parse(handler.Sent[0].Body);
        Assert.Equal("it-1", sent.RootElement.GetProperty("ShardIterator").GetString());
        Assert.Equal(10, sent.RootElement.GetProperty("Limit").GetInt32());
    }

    [Fact]
    public async Task ListShards_follows_NextToken_and_sends_only_the_token_after_the_first_page()
    {
        using var handler = new FakeKinesisHandler(attempt => FakeKinesisHandler.Json(HttpStatusCode.OK, attempt == 1
            ? """{"NextToken":"page-2","Shards":[{"ShardId":"shardId-0","HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"1"},"SequenceNumberRange":{"StartingSequenceNumber":"5"}}]}"""
            : """{"NextToken":null,"Shards":[{"ShardId":"shardId-1","ParentShardId":"shardId-0","HashKeyRange":{"StartingHashKey":"2","EndingHashKey":"3"},"SequenceNumberRange":{"StartingSequenceNumber":"6","EndingSequenceNumber":"9"}}]}"""));
        using var kinesis = KinesisTestClients.Create(handler);

        var shards = await kinesis.ListShardsAsync("rides", CancellationToken.None, pageSize: 1);

        Assert.Equal(["shardId-0", "shardId-1"], shards.Select(s => s.ShardId));
        Assert.Equal("shardId-0", shards[1].ParentShardId);
        Assert.Equal("9", shards[1].SequenceNumberRange.EndingSequenceNumber);
        using var first = JsonDocument.Parse(handler.Sent[0].Body);
        using var second = JsonDocument.Parse(handler.Sent[1].Body);
        Assert.Equal("""{"StreamName":"rides","MaxResults":1}""", first.RootElement.GetRawText());
        Assert.Equal("""{"NextToken":"page-2","MaxResults":1}""", second.RootElement.GetRawText());
    }

    [Theory]
    [InlineData(ShardIteratorType.TrimHorizon, null, null, """{"StreamName":"rides","ShardId":"s-0","ShardIteratorType":"TRIM_HORIZON"}""")]
    [InlineData(ShardIteratorType.Latest, null, null, """{"StreamName":"rides","ShardId":"s-0","ShardIteratorType":"LATEST"}""")]
    [InlineData(ShardIteratorType.AtSequenceNumber, "77", null, """{"StreamName":"rides","ShardId":"s-0","ShardIteratorType":"AT_SEQUENCE_NUMBER","StartingSequenceNumber":"77"}""")]
    [InlineData(ShardIteratorType.AfterSequenceNumber, "77", null, """{"StreamName":"rides","ShardId":"s-0","ShardIteratorType":"AFTER_SEQUENCE_NUMBER","StartingSequenceNumber":"77"}""")]
    [InlineData(ShardIteratorType.AtTimestamp, null, 1795289403695L, """{"StreamName":"rides","ShardId":"s-0","ShardIteratorType":"AT_TIMESTAMP","Timestamp":1795289403.695}""")]
    public async Task GetShardIterator_writes_each_iterator_type(ShardIteratorType type, string? sequenceNumber, long? unixMilliseconds, string expected)
    {
        using var handler = new FakeKinesisHandler(_ => FakeKinesisHandler.Json(HttpStatusCode.OK, """{"ShardIterator":"it"}"""));
        using var kinesis = KinesisTestClients.Create(handler);
        DateTimeOffset? timestamp = unixMilliseconds is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

        Assert.Equal("it", await kinesis.GetShardIteratorAsync("rides", "s-0", type, CancellationToken.None, sequenceNumber, timestamp));

        Assert.Equal(expected, Encoding.UTF8.GetString(handler.Sent[0].Body));
    }

    [Fact]
    public async Task DescribeStreamSummary_reads_the_status()
    {
        using var handler = new FakeKinesisHandler(_ => FakeKinesisHandler.Json(HttpStatusCode.OK,
            """{"StreamDescriptionSummary":{"StreamName":"rides","StreamARN":"arn:aws:kinesis:us-east-1:000000000000:stream/rides","StreamStatus":"CREATING","OpenShardCount":2,"KeyId":null}}"""));
        using var kinesis = KinesisTestClients.Create(handler);

        var summary = await kinesis.DescribeStreamSummaryAsync("rides", CancellationToken.None);

        Assert.Equal(new StreamSummary("rides", "arn:aws:kinesis:us-east-1:000000000000:stream/rides", "CREATING", 2, null), summary);
        Assert.False(summary.IsActive);
    }

    [Fact]
    public async Task Bad_input_is_rejected_before_any_call_with_a_message_naming_the_problem()
    {
        using var handler = new FakeKinesisHandler(_ => throw new InvalidOperationException("must not be called"));
        using var kinesis = KinesisTestClients.Create(handler);
        var tooMany = Enumerable.Repeat(new PutRecordsEntry("x"u8.ToArray(), "k"), 501).ToArray();

        var none = await Assert.ThrowsAsync<ArgumentException>(() => kinesis.PutRecordsAsync("rides", [], CancellationToken.None));
        var many = await Assert.ThrowsAsync<ArgumentException>(() => kinesis.PutRecordsAsync("rides", tooMany, CancellationToken.None));
        var key = await Assert.ThrowsAsync<ArgumentException>(
            () => kinesis.PutRecordsAsync("rides", [new("x"u8.ToArray(), "ok"), new("x"u8.ToArray(), "")], CancellationToken.None));
        var stream = await Assert.ThrowsAsync<ArgumentException>(() => kinesis.DescribeStreamSummaryAsync(" ", CancellationToken.None));
        var sequence = await Assert.ThrowsAsync<ArgumentException>(
            () => kinesis.GetShardIteratorAsync("rides", "s-0", ShardIteratorType.AfterSequenceNumber, CancellationToken.None));

        Assert.Contains("got 0", none.Message, StringComparison.Ordinal);
        Assert.Contains("got 501", many.Message, StringComparison.Ordinal);
        Assert.Contains("Entry 1", key.Message, StringComparison.Ordinal);
        Assert.Contains("stream name", stream.Message, StringComparison.Ordinal);
        Assert.Contains("AFTER_SEQUENCE_NUMBER", sequence.Message, StringComparison.Ordinal);
        Assert.Equal(0, handler.Attempts);
    }
}
