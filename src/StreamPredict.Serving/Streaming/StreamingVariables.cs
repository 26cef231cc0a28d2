using StreamPredict.Aws.Kinesis;

namespace StreamPredict.Serving.Streaming;

/// <summary>
/// The streaming function's own variables (the model's are <see cref="Models.ModelLocation"/>'s). The function reads them
/// in one place, its FunctionSettings; they are here so that whatever launches the function (the local Lambda host, the
/// CLI's demo and benches, the template tests) names the same variables.
/// </summary>
public static class StreamingVariables
{
    public const string PredictionsStream = "PREDICTIONS_STREAM_NAME";
    public const string RejectionsStream = "REJECTIONS_STREAM_NAME";
    public const string TestRun = "TEST_RUN";
    public const string PublishConcurrency = "PUBLISH_CONCURRENCY";

    /// <summary>PutRecords calls in flight at once (predictions and dead letters together): enough to hide a round trip of tens of ms.</summary>
    public const int DefaultPublishConcurrency = PutRecordsBatcher.DefaultConcurrency;

    public const int MaxPublishConcurrency = PutRecordsBatcher.MaxConcurrency;

    /// <summary>The course's output stream.</summary>
    public const string DefaultPredictionsStream = "ride_predictions";

    /// <summary>Every variable the function reads itself (template.yaml's Environment is checked against it).</summary>
    public static IReadOnlyList<string> FunctionVariableNames { get; } =
        [PredictionsStream, RejectionsStream, .. Models.ModelLocation.VariableNames, TestRun, PublishConcurrency];
}
