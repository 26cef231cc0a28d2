using System.Globalization;
using StreamPredict.Data.Tlc;
using StreamPredict.Serving.Rides;
using StreamPredict.Training.Linear;

namespace StreamPredict.Cli.Producing;

/// <summary>
/// Ride-started events from real TLC trips. ride_id scheme: "{prefix}-{n}", n = 0, 1, 2... in the order produced,
/// zero-padded to 7 digits; the prefix defaults to a fresh 8-hex token per run, so ids never repeat across runs.
/// When more rides are asked for than the file holds, the trips repeat and n keeps counting, so ids stay unique.
/// </summary>
public static class TlcRideSource
{
    public static string NewPrefix() => "ride-" + Guid.NewGuid().ToString("N")[..8];

    public static string RideId(string prefix, long n) => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{n:D7}");

    /// <summary>The 1..60-minute trips of a TLC parquet, CSV or csv.gz file as events; <paramref name="count"/> null means each trip once.</summary>
    public static IReadOnlyList<RideEvent> Read(string path, long? count, string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var trips = TlcDataset.ReadFile(path).Rows;
        if (trips.Count == 0)
        {
            throw new InvalidDataException($"{path} has no trips of 1..60 minutes to send.");
        }

        var total = count ?? trips.Count;
        var events = new RideEvent[total];
        for (long n = 0; n < total; n++)
        {
            events[n] = new RideEvent(RideId(prefix, n), trips[(int)(n % trips.Count)].Ride);
        }

        return events;
    }
}
