namespace StreamPredict.Aws.Kinesis;

/// <summary>
/// Bounded exponential backoff with full jitter: before retry n the client waits a uniformly random time in
/// [0, min(MaxDelay, BaseDelay * 2^(n-1))). Full jitter spreads out many clients throttled at the same moment.
/// </summary>
public sealed class KinesisRetryPolicy
{
    public static KinesisRetryPolicy Default { get; } = new();

    /// <summary>Total attempts including the first; 1 disables retries.</summary>
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Source of jitter in [0, 1); replaceable so tests can pin it.</summary>
    public Func<double> NextJitter { get; init; } = Random.Shared.NextDouble;

    /// <summary>The same attempt budget with no waiting, for tests.</summary>
    public static KinesisRetryPolicy WithoutDelay(int maxAttempts) =>
        new() { MaxAttempts = maxAttempts, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero };

    /// <param name="retry">1 for the first retry (after the first failed attempt), 2 for the second, ...</param>
    public TimeSpan DelayBeforeRetry(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        // Doubles cannot overflow here; MaxDelay bounds the result.
        var ceiling = Math.Min(MaxDelay.Ticks, BaseDelay.Ticks * Math.Pow(2, retry - 1));
        return TimeSpan.FromTicks((long)(ceiling * NextJitter()));
    }

    internal void Validate()
    {
        if (MaxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "KinesisRetryPolicy.MaxAttempts must be at least 1.");
        }

        if (BaseDelay < TimeSpan.Zero || MaxDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(BaseDelay), "KinesisRetryPolicy delays must not be negative.");
        }
    }
}
