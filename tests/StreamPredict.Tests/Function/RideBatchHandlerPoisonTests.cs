using System.Text;
using static StreamPredict.Tests.Functions.HandlerHarness;

namespace StreamPredict.Tests.Functions;

public sealed class RideBatchHandlerPoisonTests
{
    private static readonly string Good = KinesisEvents.Ride(130, 205, 3.66, "1");

    public static TheoryData<string, string> PoisonRecords()
    {
        var data = new TheoryData<string, string>();
        foreach (var (record, kind) in SampleEvents.Poison)
        {
            data.Add(record, kind);
        }

        data.Add("""{"ride": {"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}, "ride_id": 1}""", "duplicate_ride_id");
        return data;
    }

    [Theory]
    [MemberData(nameof(PoisonRecords))]
    public async Task A_poison_record_goes_to_the_dead_letter_stream_and_never_stops_the_others(string record, string kind)
    {
        using var harness = new HandlerHarness();
        var response = await harness.InvokeAsync(KinesisEvents.Build([Good, record, KinesisEvents.Ride(1, 2, 1.0, "\"last\"")]));

        Assert.Empty(FailureIds(response));
        Assert.Equal(2, harness.Writer.Published(Predictions).Count);
        var deadLetter = Assert.Single(harness.Writer.Published(Rejections));
        Assert.Equal(kind, deadLetter.GetProperty("error_kind").GetString());
        Assert.False(string.IsNullOrWhiteSpace(deadLetter.GetProperty("reason").GetString()));
        Assert.Equal(KinesisEvents.Sequence(1), deadLetter.GetProperty("source_sequence_number").GetString());
        Assert.Equal(KinesisEvents.Shard, deadLetter.GetProperty("source_shard_id").GetString());
        Assert.Equal(SampleEvents.Encode(record), deadLetter.GetProperty("data").GetString());
        Assert.Equal(KinesisEvents.Sequence(1), harness.Writer.Calls.Single(c => c.Stream == Rejections).Entries[0].PartitionKey);

        var logged = Assert.Single(harness.LogLines(), l => l.TryGetProperty("errorKind", out _));
        Assert.Equal(kind, logged.GetProperty("errorKind").GetString());
        Assert.Equal("req-1", logged.GetProperty("requestId").GetString());
        Assert.Equal(1, harness.Metrics().GetProperty("Rejected").GetInt32());
    }

    [Fact]
    public async Task A_record_without_data_is_poison()
    {
        using var harness = new HandlerHarness();
        var payload = """{"Records": [{"eventSource": "aws:kinesis", "eventID": "shardId-000000000001:5", "kinesis": {"sequenceNumber": "5"}}]}"""u8.ToArray();
        var response = await harness.InvokeAsync(payload);

        Assert.Empty(FailureIds(response));
        Assert.Equal("missing_data", Assert.Single(harness.Writer.Published(Rejections)).GetProperty("error_kind").GetString());
    }

    [Fact]
    public async Task Base64_written_with_JSON_escapes_is_decoded()
    {
        using var harness = new HandlerHarness();
        // "/" may legally be written "\/" in JSON; the data must still decode.
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(KinesisEvents.Ride(1, 2, 1, "\"a??>>?\"")));
        Assert.Contains("/", base64, StringComparison.Ordinal);
        var payload = Encoding.UTF8.GetString(KinesisEvents.BuildBase64([base64])).Replace(base64, base64.Replace("/", "\\/", StringComparison.Ordinal), StringComparison.Ordinal);
        await harness.InvokeAsync(Encoding.UTF8.GetBytes(payload));

        Assert.Equal("a??>>?", Assert.Single(harness.Writer.Published(Predictions)).GetProperty("prediction").GetProperty("ride_id").GetString());
    }

    [Fact]
    public async Task Event_member_names_written_with_JSON_escapes_are_recognised()
    {
        using var harness = new HandlerHarness();
        var payload = Encoding.UTF8.GetString(KinesisEvents.Build([Good]))
            .Replace("\"data\"", "\"\\u0064ata\"", StringComparison.Ordinal)
            .Replace("\"sequenceNumber\"", "\"\\u0073equenceNumber\"", StringComparison.Ordinal);
        Assert.Contains("\\u0064ata", payload, StringComparison.Ordinal);
        var response = await harness.InvokeAsync(Encoding.UTF8.GetBytes(payload));

        Assert.Empty(FailureIds(response));
        Assert.Equal(KinesisEvents.Sequence(0), Assert.Single(harness.Writer.Published(Predictions)).GetProperty("source_sequence_number").GetString());
    }

    [Fact]
    public async Task Without_a_dead_letter_stream_poison_is_logged_and_counted_but_not_a_failure()
    {
        using var harness = new HandlerHarness(rejections: null);
        var response = await harness.InvokeAsync(KinesisEvents.Build([Good, "not json"]));

        Assert.Empty(FailureIds(response));
        Assert.All(harness.Writer.Calls, c => Assert.Equal(Predictions, c.Stream));
        Assert.Equal(1, harness.Metrics().GetProperty("Rejected").GetInt32());
        Assert.Contains(harness.LogLines(), l => l.TryGetProperty("errorKind", out var k) && k.GetString() == "not_json");
    }

    [Fact]
    public async Task A_dead_letter_that_cannot_be_published_becomes_a_batch_item_failure()
    {
        using var harness = new HandlerHarness();
        harness.Writer.Fail = (_, stream, _) => stream == Rejections;
        var response = await harness.InvokeAsync(KinesisEvents.Build([Good, "not json"]));

        Assert.Equal([KinesisEvents.Sequence(1)], FailureIds(response));
        Assert.Single(harness.Writer.Published(Predictions));
    }
}
