using StreamPredict.Function.Configuration;
using StreamPredict.Function.Publishing;
using StreamPredict.Serving.Streaming;

namespace StreamPredict.Function;

/// <summary>What the hot path needs from the configuration.</summary>
internal sealed record RideBatchHandlerOptions
{
    public string PredictionsStream { get; init; } = StreamingVariables.DefaultPredictionsStream;

    /// <summary>Null: poison is logged and counted but not published.</summary>
    public string? RejectionsStream { get; init; }

    /// <summary>Dry run (TEST_RUN=True): nothing is published; the response lists the output events.</summary>
    public bool TestRun { get; init; }

    public PublishPolicy Policy { get; init; } = new();

    /// <summary>The version written in the output events and metrics (RUN_ID); null: the model's own version.</summary>
    public string? ModelVersion { get; init; }

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
            ModelVersion = settings.ModelVersion,
            Policy = new PublishPolicy { Concurrency = settings.PublishConcurrency },
        };
    }
}
