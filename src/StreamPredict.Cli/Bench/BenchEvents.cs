using System.Globalization;
using StreamPredict.Cli.Producing;
using StreamPredict.Serving.Rides;
using StreamPredict.Aws.Lambda.Events;

namespace StreamPredict.Cli.Bench;

/// <summary>Lambda-shaped Kinesis events of real TLC rides (the CLI's bundled sample), as an event source mapping sends them.</summary>
internal static class BenchEvents
{
    public static string SampleRidesPath() => Path.Combine(AppContext.BaseDirectory, "SampleData", "green_tripdata_2021-02.rides.csv.gz");

    /// <summary>Rides 0..n-1 of the bundled sample with unique string ride_ids and increasing sequence numbers.</summary>
    public static IReadOnlyList<RideEvent> Rides(int count, string prefix = "bench") => TlcRideSource.Read(SampleRidesPath(), count, prefix);

    public static byte[] Event(IReadOnlyList<RideEvent> rides)
    {
        ArgumentNullException.ThrowIfNull(rides);
        var records = new SourceRecord[rides.Count];
        for (var i = 0; i < rides.Count; i++)
        {
            // Kinesis sequence numbers are up to 56 decimal digits, increasing within a shard.
            var sequenceNumber = string.Create(CultureInfo.InvariantCulture, $"4959033827149025660855969253836157109592157598{i:D10}");
            records[i] = new SourceRecord(Convert.ToBase64String(rides[i].ToUtf8Json()), rides[i].RideId, sequenceNumber, 1_700_000_000.123 + (i / 1000.0));
        }

        return KinesisEventWriter.Write(records);
    }
}
