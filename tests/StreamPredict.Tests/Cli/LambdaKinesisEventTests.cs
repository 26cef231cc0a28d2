using System.Text.Json;
using System.Text.Json.Nodes;
using StreamPredict.Aws.Kinesis;
using StreamPredict.LocalLambda.EventSourceMapping;
using StreamPredict.Tests.Model;

namespace StreamPredict.Tests.Cli;

public sealed class LambdaKinesisEventTests
{
    private static readonly string CourseEvent = ModelTestFiles.TestData(Path.Combine("course-model", "kinesis-event.json"));

    [Fact]
    public void Rebuilding_the_course_lambda_event_from_its_records_gives_the_same_json()
    {
        var original = JsonNode.Parse(File.ReadAllText(CourseEvent))!;
        var first = original["Records"]![0]!;
        var records = original["Records"]!.AsArray().Select(record => new KinesisRecord(
            record!["kinesis"]!["sequenceNumber"]!.GetValue<string>(),
            DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(record["kinesis"]!["approximateArrivalTimestamp"]!.GetValue<double>() * 1000)),
            Convert.FromBase64String(record["kinesis"]!["data"]!.GetValue<string>()),
            record["kinesis"]!["partitionKey"]!.GetValue<string>())).ToList();
        var shardId = first["eventID"]!.GetValue<string>().Split(':')[0];

        var rebuilt = JsonNode.Parse(LambdaKinesisEvent.Build(records, shardId,
            first["eventSourceARN"]!.GetValue<string>(), first["invokeIdentityArn"]!.GetValue<string>()))!;

        Assert.True(JsonNode.DeepEquals(original, rebuilt), $"expected{Environment.NewLine}{original.ToJsonString()}{Environment.NewLine}got{Environment.NewLine}{rebuilt.ToJsonString()}");
    }

    [Fact]
    public void Each_record_carries_shard_sequence_region_and_arrival_time_as_lambda_writes_them()
    {
        var arrival = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var records = new[]
        {
            new KinesisRecord("495001", arrival, "{\"a\":1}"u8.ToArray(), "ride-1"),
            new KinesisRecord("495002", arrival.AddMilliseconds(5), [0xFF, 0x00], "ride-2"),
        };
        const string Arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/ride_events";

        using var document = JsonDocument.Parse(LambdaKinesisEvent.Build(records, "shardId-000000000003", Arn));
        var built = document.RootElement.GetProperty("Records");

        Assert.Equal(2, built.GetArrayLength());
        var second = built[1];
        Assert.Equal("shardId-000000000003:495002", second.GetProperty("eventID").GetString());
        Assert.Equal("aws:kinesis", second.GetProperty("eventSource").GetString());
        Assert.Equal("aws:kinesis:record", second.GetProperty("eventName").GetString());
        Assert.Equal("1.0", second.GetProperty("eventVersion").GetString());
        Assert.Equal("eu-west-1", second.GetProperty("awsRegion").GetString());
        Assert.Equal(Arn, second.GetProperty("eventSourceARN").GetString());
        Assert.Equal("arn:aws:iam::123456789012:role/streampredict-local-event-source", second.GetProperty("invokeIdentityArn").GetString());
        var kinesis = second.GetProperty("kinesis");
        Assert.Equal("1.0", kinesis.GetProperty("kinesisSchemaVersion").GetString());
        Assert.Equal("ride-2", kinesis.GetProperty("partitionKey").GetString());
        Assert.Equal("495002", kinesis.GetProperty("sequenceNumber").GetString());
        Assert.Equal(new byte[] { 0xFF, 0x00 }, kinesis.GetProperty("data").GetBytesFromBase64());
        Assert.Equal(1_700_000_000.128, kinesis.GetProperty("approximateArrivalTimestamp").GetDouble(), 6);
    }
}
