using System.Diagnostics;

namespace StreamPredict.Web.Observability;

/// <summary>
/// One route's request counts by status and its latency histogram, attached to the endpoint as metadata so that the
/// metrics middleware finds it without a lookup. Lock-free: a few interlocked increments per request.
/// </summary>
internal sealed class RouteMetrics(string route)
{
    /// <summary>Upper bounds of the latency buckets, in seconds (Prometheus' "le").</summary>
    public static readonly double[] BucketBounds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

    private static readonly long[] BucketTicks = [.. BucketBounds.Select(seconds => (long)(seconds * Stopwatch.Frequency))];

    private readonly long[] _byStatus = new long[600];
    private readonly long[] _buckets = new long[BucketBounds.Length + 1];
    private long _elapsedTicks;

    public string Route { get; } = route;

    public void Record(int status, long elapsedTicks)
    {
        Interlocked.Increment(ref _byStatus[status is >= 100 and < 600 ? status : 0]);
        var bucket = Array.BinarySearch(BucketTicks, elapsedTicks);
        Interlocked.Increment(ref _buckets[bucket >= 0 ? bucket : ~bucket]);
        Interlocked.Add(ref _elapsedTicks, elapsedTicks);
    }

    /// <summary>(status, count) for every status seen.</summary>
    public IEnumerable<(int Status, long Count)> Statuses()
    {
        for (var status = 0; status < _byStatus.Length; status++)
        {
            if (Volatile.Read(ref _byStatus[status]) is var count and > 0)
            {
                yield return (status, count);
            }
        }
    }

    /// <summary>Cumulative counts per bucket bound (the last is +Inf), the total and the sum of seconds.</summary>
    public (long[] Cumulative, long Count, double SumSeconds) Histogram()
    {
        var cumulative = new long[_buckets.Length];
        long running = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            running += Volatile.Read(ref _buckets[i]);
            cumulative[i] = running;
        }

        return (cumulative, running, (double)Interlocked.Read(ref _elapsedTicks) / Stopwatch.Frequency);
    }
}
