using StreamPredict.Batch;
using StreamPredict.Cli.Producing;
using StreamPredict.Data.Tlc;
using StreamPredict.Model;
using StreamPredict.Serving.Rides;

namespace StreamPredict.Cli.Demo;

/// <summary>
/// The demo's rides, as every mode names them. Ride n is the n-th trip the course keeps from the sample month (repeating
/// when more rides are asked for than it holds), as `produce` sends it: ride_id "{prefix}-{n:D7}". Batch scores the
/// same file and names each row by its position in the file ("2021/02_{row}"), so this also remembers each kept
/// trip's row.
/// </summary>
internal sealed class SampleRides
{
    private readonly List<Ride> _rides = [];
    private readonly List<long> _rows = [];
    private readonly string _prefix;
    private readonly ScoringMonth _month;

    private SampleRides(string prefix, ScoringMonth month) => (_prefix, _month) = (prefix, month);

    public static async Task<SampleRides> ReadAsync(string path, string prefix, CancellationToken cancellationToken)
    {
        var month = ScoringMonth.FromFileName(path) ?? throw new InvalidDataException($"The sample '{path}' has no YYYY-MM in its name.");
        var sample = new SampleRides(prefix, month);
        var reader = await TlcTripReader.OpenFileAsync(path, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            long row = 0;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } chunk)
            {
                using (chunk)
                {
                    foreach (ref readonly var trip in chunk.Trips)
                    {
                        // The same test TlcDataset (and so `produce`) applies, so ride n here is ride n on the stream.
                        if (TlcDataset.Keeps(trip))
                        {
                            sample._rides.Add(new Ride((int)trip.PickupLocationId, (int)trip.DropoffLocationId, trip.TripDistance));
                            sample._rows.Add(row);
                        }

                        row++;
                    }
                }
            }
        }

        return sample._rides.Count > 0 ? sample : throw new InvalidDataException($"The sample '{path}' has no trips of 1..60 minutes.");
    }

    public string RideId(long n) => TlcRideSource.RideId(_prefix, n);

    public RideEvent Event(long n) => new(RideId(n), _rides[(int)(n % _rides.Count)]);

    /// <summary>The id batch scoring gives the same trip: its month and its row in the file.</summary>
    public string BatchRideId(long n) => RideIds.For(_month, _rows[(int)(n % _rides.Count)]);

    /// <summary>n of one of this demo's ride ids.</summary>
    public long Number(string rideId) =>
        rideId.StartsWith(_prefix + "-", StringComparison.Ordinal) && long.TryParse(rideId.AsSpan(_prefix.Length + 1), out var n) && n >= 0
            ? n
            : throw new InvalidDataException($"'{rideId}' is not one of this demo's ride ids ({_prefix}-NNNNNNN).");

    /// <summary><paramref name="count"/> ride numbers spread over the first <paramref name="rides"/> rides.</summary>
    public static IReadOnlyList<long> Spread(long rides, int count) =>
        [.. Enumerable.Range(0, (int)Math.Min(count, rides)).Select(i => i * rides / Math.Min(count, rides)).Distinct()];
}
