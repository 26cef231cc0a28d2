using System.Text.Json;
using StreamPredict.Aws.Kinesis;
using StreamPredict.LocalLambda.EventSourceMapping;

namespace StreamPredict.Tests.Cli;

public sealed class FailureLogTests
{
    [Fact]
    public void Each_failed_record_becomes_one_json_line_with_where_it_came_from_and_why()
    {
        var path = Path.Combine(Path.GetTempPath(), $"failures-{Guid.NewGuid():N}.jsonl");
        try
        {
            var log = new FailureLog(path, "arn:aws:kinesis:us-east-1:000000000000:stream/ride_events");
            var record = new KinesisRecord("4960001", DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250), [1, 2, 3], "ride-9");
            log.Append("shardId-000000000001", [new FailedRecord(record, "function failed on 11 attempts: boom", 11)]);
            log.Append("shardId-000000000001", [new FailedRecord(record with { SequenceNumber = "4960002" }, "again", 11)]);

            var lines = File.ReadAllLines(path);

            Assert.Equal(2, log.Count);
            Assert.Equal(2, lines.Length);
            using var first = JsonDocument.Parse(lines[0]);
            var root = first.RootElement;
            Assert.Equal("function failed on 11 attempts: boom", root.GetProperty("reason").GetString());
            Assert.Equal(11, root.GetProperty("attempts").GetInt32());
            Assert.Equal("shardId-000000000001", root.GetProperty("shardId").GetString());
            Assert.Equal("4960001", root.GetProperty("sequenceNumber").GetString());
            Assert.Equal("ride-9", root.GetProperty("partitionKey").GetString());
            Assert.Equal(1_700_000_000.25, root.GetProperty("approximateArrivalTimestamp").GetDouble(), 6);
            Assert.Equal(new byte[] { 1, 2, 3 }, root.GetProperty("data").GetBytesFromBase64());
            Assert.EndsWith("stream/ride_events", root.GetProperty("streamArn").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
