using StreamPredict.Aws.Kinesis;

namespace StreamPredict.LocalLambda.EventSourceMapping;

/// <summary>The event source mapping's settings, named after Lambda's.</summary>
public sealed record RunOptions
{
    public const int MaxBatchSize = 10_000;

    public required string Stream { get; init; }

    /// <summary>BatchSize: at most this many records per invocation (1..10,000).</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>MaximumBatchingWindowInSeconds: how long to gather records before invoking with a partial batch.</summary>
    public TimeSpan BatchingWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>StartingPosition for shards without a checkpoint: TrimHorizon or Latest.</summary>
    public ShardIteratorType StartingPosition { get; init; } = ShardIteratorType.TrimHorizon;

    /// <summary>BisectBatchOnFunctionError.</summary>
    public bool Bisect { get; init; }

    /// <summary>MaximumRetryAttempts before records go to the failure log.</summary>
    public int MaxRetries { get; init; } = 10;

    public string? CheckpointPath { get; init; }

    /// <summary>The local OnFailure destination (JSON lines); null keeps only the count and the log line.</summary>
    public string? FailurePath { get; init; }

    /// <summary>Stop once no record has arrived or been handled for this long.</summary>
    public TimeSpan? UntilIdle { get; init; }

    /// <summary>Stop once this many records are done (checkpointed).</summary>
    public long? MaxRecords { get; init; }

    public TimeSpan FunctionTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>First wait after a Kinesis failure; it doubles per consecutive failure, up to 5 s.</summary>
    public TimeSpan ErrorBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    public string? Validate()
    {
        if (BatchSize is < 1 or > MaxBatchSize)
        {
            return $"--batch-size {BatchSize} is out of range: Kinesis event sources take 1..{MaxBatchSize}.";
        }

        if (BatchingWindow > TimeSpan.FromSeconds(300))
        {
            return $"--batching-window {BatchingWindow.TotalSeconds} s is over Lambda's maximum of 300 s.";
        }

        if (MaxRetries is < 0 or > 10_000)
        {
            return $"--max-retries {MaxRetries} is out of range 0..10000.";
        }

        if (MaxRecords is < 1)
        {
            return "--max-records must be at least 1.";
        }

        return StartingPosition is ShardIteratorType.TrimHorizon or ShardIteratorType.Latest
            ? null
            : "--starting-position must be trim-horizon or latest.";
    }
}
