using System.Buffers;
using System.Globalization;
using System.Text;
using StreamPredict.Function;
using StreamPredict.Aws.Lambda.Events;
using StreamPredict.Function.Observability;
using StreamPredict.Function.Publishing;

namespace StreamPredict.Tests.Functions;

/// <summary>The output event copied together from fixed pieces is byte-for-byte what Utf8JsonWriter writes.</summary>
public sealed class OutputEventVerbatimTests
{
    [Fact]
    public async Task Verbatim_and_writer_paths_write_identical_output_events()
    {
        var random = new Random(11);
        string[] awkwardIds = ["\"caf\u00e9\"", "\"quote\\\"inside\"", "\"tab\\tinside\"", "\"</script>+&'\"", "-12.5e3", "0", "\"\u2028\""];
        var records = new List<SourceRecord>();
        for (var i = 0; i < 2_000; i++)
        {
            var distance = random.Next(4) switch
            {
                0 => random.NextDouble() * 30,
                1 => Math.Round(random.NextDouble() * 30, 2),
                2 => random.NextDouble() * 1e-6,
                _ => random.NextDouble() * 500,
            };
            var rideId = i < awkwardIds.Length ? awkwardIds[i] : i % 2 == 0 ? (i * 7919).ToString(CultureInfo.InvariantCulture) : $"\"ride-{i}\"";
            var json = KinesisEvents.Ride(random.Next(1, 266), random.Next(1, 266), distance, rideId);
            var shard = i % 97 == 5 ? "shard\u00e9-\"odd\"" : KinesisEvents.Shard;
            var arrival = random.Next(3) == 0 ? 1654161514 + i : 1654161514.132 + (random.NextDouble() * 1e4);
            records.Add(new SourceRecord(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)), "1", KinesisEvents.Sequence(i), arrival, shard));
        }

        var payload = KinesisEventWriter.Write(records);
        var verbatim = await DryRunAsync(payload, verbatimOutput: true);
        var writer = await DryRunAsync(payload, verbatimOutput: false);

        Assert.Contains("caf\u00e9", writer, StringComparison.Ordinal);
        Assert.Equal(writer, verbatim);
    }

    private static async Task<string> DryRunAsync(byte[] payload, bool verbatimOutput)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 21, 12, 0, 0, 123, TimeSpan.Zero));
        using var log = new JsonLog(Stream.Null, clock);
        using var handler = new RideBatchHandler(TestModels.Linear(), DisabledKinesisWriter.Instance,
            new RideBatchHandlerOptions { TestRun = true, VerbatimOutput = verbatimOutput }, log, clock);
        var response = new ArrayBufferWriter<byte>();
        await handler.HandleAsync(payload, new TestContext(clock, clock.Now + TimeSpan.FromMinutes(1)), response, CancellationToken.None);
        return Encoding.UTF8.GetString(response.WrittenSpan);
    }
}
