using StreamPredict.Aws.Kinesis;
using StreamPredict.Serving.Streaming;

namespace StreamPredict.Function.Publishing;

/// <summary>How the function publishes: the retry schedule, calls in flight, and the margin kept before the deadline.</summary>
internal sealed record PublishPolicy
{
    /// <summary>8 calls per entry at most; full-jitter backoff, retry n waits a uniform random time in [0, min(1 s, 25 ms·2ⁿ⁻¹)).</summary>
    public static KinesisRetryPolicy DefaultRetry { get; } = new()
    {
        MaxAttempts = 8,
        BaseDelay = TimeSpan.FromMilliseconds(25),
        MaxDelay = TimeSpan.FromSeconds(1),
    };

    public KinesisRetryPolicy Retry { get; init; } = DefaultRetry;

    /// <summary>PutRecords calls in flight at once, predictions and dead letters together (PUBLISH_CONCURRENCY).</summary>
    public int Concurrency { get; init; } = StreamingVariables.DefaultPublishConcurrency;

    /// <summary>Work stops this long before the invocation deadline, leaving time to post the response.</summary>
    public TimeSpan DeadlineSafetyMargin { get; init; } = TimeSpan.FromMilliseconds(750);
}
