using System.Globalization;

namespace StreamPredict.IntegrationTests.Faults;

/// <summary>What <see cref="KinesisFaultProxy"/> did, for assertions and for the report. Fields so they can be incremented atomically.</summary>
internal sealed class FaultCounters
{
#pragma warning disable CA1051, SA1401 // Interlocked needs fields; this is a test-only counter bag.
    public long Calls;
    public long Forwarded;
    public long EntriesSeen; // counted only when ThrottledEntryShare > 0 (the only path that parses PutRecords bodies)
    public long EntriesThrottled;
    public long ServerErrors;
    public long DroppedConnections;
    public long LostResponses;
    public long OutageRefusals;
    public long UpstreamFailures;
    public long MaxInFlight; // the most calls the proxy held at once: how concurrent the client was
#pragma warning restore CA1051, SA1401

    public static void Add(ref long counter, long amount = 1) => Interlocked.Add(ref counter, amount);

    /// <summary>Raises <paramref name="counter"/> to <paramref name="value"/> if that is higher (atomically).</summary>
    public static void Max(ref long counter, long value)
    {
        var seen = Interlocked.Read(ref counter);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref counter, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"calls {Calls}, forwarded {Forwarded}, PutRecords entries through the throttle {EntriesSeen} ({EntriesThrottled} throttled), 500s {ServerErrors}, " +
        $"dropped {DroppedConnections}, lost responses {LostResponses}, refused in outage {OutageRefusals}, upstream failures {UpstreamFailures}, most in flight {MaxInFlight}");
}
