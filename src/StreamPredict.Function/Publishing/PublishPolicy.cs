namespace StreamPredict.Function.Publishing;

/// <summary>PutRecords limits and the retry schedule.</summary>
internal sealed record PublishPolicy
{
    /// <summary>Kinesis PutRecords: at most 500 entries per call.</summary>
    public const int MaxEntriesPerCall = 500;

    /// <summary>Kinesis PutRecords: at most 5 MiB per call, counting data and partition keys.</summary>
    public const int MaxBytesPerCall = 5 * 1024 * 1024;

    public int MaxAttempts { get; init; } = 8;

    /// <summary>Full-jitter backoff: attempt n waits a uniform random time in [0, min(cap, base·2ⁿ)).</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromMilliseconds(25);

    public TimeSpan BackoffCap { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Work stops this long before the invocation deadline, leaving time to post the response.</summary>
    public TimeSpan DeadlineSafetyMargin { get; init; } = TimeSpan.FromMilliseconds(750);
}
