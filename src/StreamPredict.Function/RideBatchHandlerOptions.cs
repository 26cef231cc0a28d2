using StreamPredict.Function.Configuration;
using StreamPredict.Function.Publishing;

namespace StreamPredict.Function;

/// <summary>What the hot path needs from the configuration.</summary>
internal sealed record RideBatchHandlerOptions
{
    public string PredictionsStream { get; init; } = FunctionSettings.DefaultPredictionsStream;

    /// <summary>Null: poison is logged and counted but not published.</summary>
    public string? RejectionsStream { get; init; }

    /// <summary>Dry run (TEST_RUN=True): nothing is published; the response lists the output events.</summary>
    public bool TestRun { get; init; }

    public PublishPolicy Policy { get; init; } = new();

    /// <summary>False forces every output event through Utf8JsonWriter: tests prove both paths write the same bytes.</summary>
    internal bool VerbatimOutput { get; init; } = true;

    public static RideBatchHandlerOptions From(FunctionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new RideBatchHandlerOptions
        {
            PredictionsStream = settings.PredictionsStreamName,
            RejectionsStream = settings.RejectionsStreamName,
            TestRun = settings.TestRun,
            Policy = new PublishPolicy { Concurrency = settings.PublishConcurrency },
        };
    }
}
