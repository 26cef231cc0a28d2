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

    /// <summary>The course's output stream.</summary>
    public const string DefaultPredictionsStream = "ride_predictions";
}
