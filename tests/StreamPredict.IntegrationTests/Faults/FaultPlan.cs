namespace StreamPredict.IntegrationTests.Faults;

/// <summary>
/// What <see cref="KinesisFaultProxy"/> does to the calls it sees. Shares are probabilities drawn from one seeded
/// <see cref="Random"/> in arrival order, so a run with the same seed and the same call order injects the same faults.
/// Faults apply only to the operations in <see cref="Operations"/> (by default PutRecords, the function's only call);
/// everything else passes through untouched.
/// </summary>
internal sealed record FaultPlan
{
    public int Seed { get; init; } = 7;

    /// <summary>X-Amz-Target operation names (without the Kinesis_20131202. prefix) that get faults.</summary>
    public IReadOnlySet<string> Operations { get; init; } = new HashSet<string>(StringComparer.Ordinal) { "PutRecords" };

    /// <summary>Share of PutRecords entries answered ProvisionedThroughputExceededException. They are NOT forwarded, as in Kinesis.</summary>
    public double ThrottledEntryShare { get; init; }

    /// <summary>Share of calls answered HTTP 500 InternalFailure without being forwarded.</summary>
    public double ServerErrorShare { get; init; }

    /// <summary>Share of calls whose connection is closed after the request arrived, before it is forwarded (nothing written).</summary>
    public double DroppedConnectionShare { get; init; }

    /// <summary>Share of calls forwarded (written) whose connection is then closed instead of answered: the client retries, a duplicate.</summary>
    public double LostResponseShare { get; init; }

    /// <summary>Added before each faulted-operation call is forwarded.</summary>
    public TimeSpan Latency { get; init; }
}
