using System.Text;
using System.Text.Json;
using StreamPredict.Aws.Kinesis.Aggregation;
using static StreamPredict.Tests.Functions.HandlerHarness;

namespace StreamPredict.Tests.Functions;

/// <summary>KPL-aggregated records in the hot path: one prediction or dead letter per user record, pointing at the aggregate.</summary>
public sealed class RideBatchHandlerAggregateTests
{
    private static string Aggregate(params (string Key, string Data)[] records)
    {
        var builder = new AggregatedRecordBuilder();
        foreach (var (key, data) in records)
        {
            Assert.True(builder.TryAdd(key, Encoding.UTF8.GetBytes(data)));
        }

        return "raw:" + Convert.ToBase64String(builder.Build());
    }

    private static List<JsonElement> Predicted(HandlerHarness harness) => harness.Writer.Published(Predictions);

    [Fact]
    public async Task Each_user_record_gets_its_own_prediction_with_its_table_key_and_the_aggregates_sequence_number()
    {
        using var harness = new HandlerHarness();
        var aggregate = Aggregate(("pk-a", KinesisEvents.Ride(130, 205, 3.66, "\"a\"")), ("pk-b", KinesisEvents.Ride(1, 2, 1, "\"b\"")), ("pk-a", KinesisEvents.Ride(1, 2, 2, "7")));
        var response = await harness.InvokeAsync(KinesisEvents.Build([KinesisEvents.Ride(1, 2, 1, "\"plain\""), aggregate]));

        Assert.Empty(FailureIds(response));
        var predictions = Predicted(harness);
        Assert.Equal(4, predictions.Count);
        Assert.False(predictions[0].TryGetProperty("source_subsequence_number", out _));
        var members = predictions.Skip(1).ToList();
        Assert.Equal([0, 1, 2], members.Select(p => p.GetProperty("source_subsequence_number").GetInt32()));
        Assert.Equal(["pk-a", "pk-b", "pk-a"], members.Select(p => p.GetProperty("source_partition_key").GetString()));
        Assert.All(members, p => Assert.Equal(KinesisEvents.Sequence(1), p.GetProperty("source_sequence_number").GetString()));
        Assert.Equal(TestModels.Expected(130, 205, 3.66), members[0].GetProperty("prediction").GetProperty("ride_duration").GetDouble(), 9);
        Assert.Equal(7, members[2].GetProperty("prediction").GetProperty("ride_id").GetInt32());
        Assert.Equal(["plain", "a", "b", "7"], harness.Writer.Calls.SelectMany(c => c.Entries).Select(e => e.PartitionKey));
        var metrics = harness.Metrics();
        Assert.Equal(2, metrics.GetProperty("RecordsIn").GetInt32());
        Assert.Equal(3, metrics.GetProperty("UserRecords").GetInt32());
        Assert.Equal(4, metrics.GetProperty("Predictions").GetInt32());
    }

    [Theory]
    [InlineData("md5")]
    [InlineData("protobuf")]
    public async Task A_corrupt_aggregate_becomes_one_dead_letter_with_the_reason_and_the_data_as_received(string damage)
    {
        using var harness = new HandlerHarness();
        var builder = new AggregatedRecordBuilder();
        builder.TryAdd("k", Encoding.UTF8.GetBytes(KinesisEvents.Ride(1, 2, 1, "1")));
        builder.TryAdd("k", Encoding.UTF8.GetBytes(KinesisEvents.Ride(1, 2, 1, "2")));
        var bytes = builder.Build();
        if (damage == "md5")
        {
            bytes[10] ^= 0x40;
        }
        else
        {
            // A length that runs past the end, with an MD5 that matches it: the protobuf itself is broken.
            bytes[5] = 0x7F;
#pragma warning disable CA5351 // The format's checksum is MD5.
            System.Security.Cryptography.MD5.HashData(bytes.AsSpan(4, bytes.Length - 20), bytes.AsSpan(bytes.Length - 16));
#pragma warning restore CA5351
        }

        var base64 = Convert.ToBase64String(bytes);
        var response = await harness.InvokeAsync(KinesisEvents.Build(["raw:" + base64, KinesisEvents.Ride(1, 2, 1, "3")]));

        Assert.Empty(FailureIds(response));
        var letter = Assert.Single(harness.Writer.Published(Rejections));
        Assert.Equal("invalid_aggregate", letter.GetProperty("error_kind").GetString());
        Assert.Contains(damage == "md5" ? "MD5 trailer does not match" : "protobuf is broken", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(base64, letter.GetProperty("data").GetString());
        Assert.Equal(KinesisEvents.Sequence(0), letter.GetProperty("source_sequence_number").GetString());
        Assert.Single(Predicted(harness));
    }

    [Fact]
    public async Task A_poison_user_record_is_a_dead_letter_of_its_own_naming_its_place_while_the_others_are_predicted()
    {
        using var harness = new HandlerHarness();
        var aggregate = Aggregate(("k1", KinesisEvents.Ride(1, 2, 1, "1")), ("k2", "not json"), ("k3", KinesisEvents.Ride(1, 2, 1, "1")), ("k4", KinesisEvents.Ride(1, 2, 1, "4")));
        var response = await harness.InvokeAsync(KinesisEvents.Build([aggregate]));

        Assert.Empty(FailureIds(response));
        Assert.Equal([1, 4], Predicted(harness).Select(p => p.GetProperty("prediction").GetProperty("ride_id").GetInt32()));
        var letters = harness.Writer.Published(Rejections);
        Assert.Equal(["not_json", "duplicate_ride_id"], letters.Select(l => l.GetProperty("error_kind").GetString()));
        Assert.Equal([1, 2], letters.Select(l => l.GetProperty("source_subsequence_number").GetInt32()));
        Assert.Equal(["k2", "k3"], letters.Select(l => l.GetProperty("source_partition_key").GetString()));
        Assert.Equal("not json", Encoding.UTF8.GetString(Convert.FromBase64String(letters[0].GetProperty("data").GetString()!)));
        Assert.Equal(2, harness.Metrics().GetProperty("Rejected").GetInt32());
    }

    [Fact]
    public async Task A_user_record_left_unpublished_reports_the_aggregates_sequence_number_once()
    {
        using var harness = new HandlerHarness(policy: Policy(maxAttempts: 2));
        harness.Writer.Fail = (_, _, key) => key is "b" or "c";
        var aggregate = Aggregate(("k", KinesisEvents.Ride(1, 2, 1, "\"a\"")), ("k", KinesisEvents.Ride(1, 2, 1, "\"b\"")), ("k", KinesisEvents.Ride(1, 2, 1, "\"c\"")));
        var response = await harness.InvokeAsync(KinesisEvents.Build([KinesisEvents.Ride(1, 2, 1, "\"x\""), aggregate, KinesisEvents.Ride(1, 2, 1, "\"y\"")]));

        Assert.Equal([KinesisEvents.Sequence(1)], FailureIds(response));
        Assert.Equal(1, harness.Metrics().GetProperty("Failed").GetInt32());
    }

    [Fact]
    public async Task A_record_whose_base64_only_looks_like_an_aggregate_is_read_as_a_plain_record()
    {
        using var harness = new HandlerHarness();
        // F3 89 9A then 00: the base64 starts "84ma" but the magic's fourth byte is wrong; the bytes are not UTF-8 either.
        var response = await harness.InvokeAsync(KinesisEvents.Build(["raw:" + Convert.ToBase64String([0xF3, 0x89, 0x9A, 0x00, 0x41])]));

        Assert.Empty(FailureIds(response));
        Assert.Equal("not_utf8", Assert.Single(harness.Writer.Published(Rejections)).GetProperty("error_kind").GetString());
    }

    [Fact]
    public async Task A_user_record_over_the_16_KiB_cap_is_over_size_cap_even_inside_an_aggregate()
    {
        using var harness = new HandlerHarness();
        var big = KinesisEvents.Ride(1, 2, 1, "\"" + new string('x', 17_000) + "\"");
        var aggregate = Aggregate(("k", big), ("k", KinesisEvents.Ride(1, 2, 1, "2")));
        await harness.InvokeAsync(KinesisEvents.Build([aggregate]));

        Assert.Equal("over_size_cap", Assert.Single(harness.Writer.Published(Rejections)).GetProperty("error_kind").GetString());
        Assert.Single(Predicted(harness));
    }
}
