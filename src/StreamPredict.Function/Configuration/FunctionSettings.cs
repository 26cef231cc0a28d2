using System.Globalization;

namespace StreamPredict.Function.Configuration;

/// <summary>
/// The function's own environment variables, course-compatible. The endpoint and credential variables belong to
/// AwsEnvironment and are not listed here.
/// </summary>
/// <remarks>
/// Model location, first match wins: MODEL_LOCATION (a local model.json, or a folder holding one);
/// MODEL_BUCKET + MODEL_KEY; MODEL_BUCKET + the course's key
/// <c>{MLFLOW_EXPERIMENT_ID}/{RUN_ID}/artifacts/model/model.json</c>.
/// </remarks>
internal sealed record FunctionSettings
{
    public const string PredictionsStreamVariable = "PREDICTIONS_STREAM_NAME";
    public const string RejectionsStreamVariable = "REJECTIONS_STREAM_NAME";
    public const string ModelBucketVariable = "MODEL_BUCKET";
    public const string ModelKeyVariable = "MODEL_KEY";
    public const string ExperimentIdVariable = "MLFLOW_EXPERIMENT_ID";
    public const string RunIdVariable = "RUN_ID";
    public const string ModelLocationVariable = "MODEL_LOCATION";
    public const string TestRunVariable = "TEST_RUN";
    public const string PublishConcurrencyVariable = "PUBLISH_CONCURRENCY";

    public const string DefaultPredictionsStream = "ride_predictions";
    public const string DefaultExperimentId = "1";

    /// <summary>PutRecords calls in flight at once (predictions and dead letters together): enough to hide a round trip of tens of ms.</summary>
    public const int DefaultPublishConcurrency = 8;

    public const int MaxPublishConcurrency = 64;

    /// <summary>Every variable the function reads itself (template.yaml's Environment is checked against it).</summary>
    public static IReadOnlyList<string> VariableNames { get; } =
    [
        PredictionsStreamVariable, RejectionsStreamVariable, ModelBucketVariable, ModelKeyVariable,
        ExperimentIdVariable, RunIdVariable, ModelLocationVariable, TestRunVariable, PublishConcurrencyVariable,
    ];

    public string PredictionsStreamName { get; init; } = DefaultPredictionsStream;

    public string? RejectionsStreamName { get; init; }

    /// <summary>A local file path; when set, S3 is not used.</summary>
    public string? ModelLocation { get; init; }

    public string? ModelBucket { get; init; }

    public string? ModelKey { get; init; }

    /// <summary>Which variables produced <see cref="ModelKey"/>, for error messages.</summary>
    public string ModelKeyOrigin { get; init; } = ModelKeyVariable;

    public bool TestRun { get; init; }

    public int PublishConcurrency { get; init; } = DefaultPublishConcurrency;

    /// <summary>The course's artifact key for an MLflow run.</summary>
    public static string CourseModelKey(string experimentId, string runId)
        => string.Create(CultureInfo.InvariantCulture, $"{experimentId}/{runId}/artifacts/model/model.json");

    /// <summary>Reads and validates; throws <see cref="FunctionConfigurationException"/> naming the variable at fault.</summary>
    public static FunctionSettings FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        string? Read(string name) => getVariable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        var predictions = Read(PredictionsStreamVariable) ?? DefaultPredictionsStream;
        ValidateStreamName(PredictionsStreamVariable, predictions);
        var rejections = Read(RejectionsStreamVariable);
        if (rejections is not null)
        {
            ValidateStreamName(RejectionsStreamVariable, rejections);
        }

        var testRun = ParseTestRun(Read(TestRunVariable));
        var concurrency = ParsePublishConcurrency(Read(PublishConcurrencyVariable));
        var location = Read(ModelLocationVariable);
        if (location is not null)
        {
            return new FunctionSettings
            {
                PredictionsStreamName = predictions, RejectionsStreamName = rejections, TestRun = testRun, PublishConcurrency = concurrency, ModelLocation = location,
            };
        }

        var bucket = Read(ModelBucketVariable) ?? throw new FunctionConfigurationException(
            $"{ModelBucketVariable} is not set: set {ModelBucketVariable} with {ModelKeyVariable} or {RunIdVariable}, or set {ModelLocationVariable} to a local model.json.");
        var key = Read(ModelKeyVariable);
        var keyOrigin = ModelKeyVariable;
        if (key is null)
        {
            var runId = Read(RunIdVariable) ?? throw new FunctionConfigurationException(
                $"Neither {ModelKeyVariable} nor {RunIdVariable} is set: {ModelBucketVariable}='{bucket}' needs one of them to find the model.");
            var experimentId = Read(ExperimentIdVariable) ?? DefaultExperimentId;
            RequireKeySegment(ExperimentIdVariable, experimentId);
            RequireKeySegment(RunIdVariable, runId);
            key = CourseModelKey(experimentId, runId);
            keyOrigin = $"{ExperimentIdVariable}='{experimentId}' and {RunIdVariable}='{runId}'";
        }

        return new FunctionSettings
        {
            PredictionsStreamName = predictions,
            RejectionsStreamName = rejections,
            TestRun = testRun,
            PublishConcurrency = concurrency,
            ModelBucket = bucket,
            ModelKey = key,
            ModelKeyOrigin = keyOrigin,
        };
    }

    private static bool ParseTestRun(string? value) => value switch
    {
        null or "False" or "false" or "0" => false,
        "True" or "true" or "1" => true,
        _ => throw new FunctionConfigurationException($"{TestRunVariable}='{value}' is not a boolean: use True or False."),
    };

    private static int ParsePublishConcurrency(string? value)
    {
        if (value is null)
        {
            return DefaultPublishConcurrency;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var concurrency) && concurrency is >= 1 and <= MaxPublishConcurrency
            ? concurrency
            : throw new FunctionConfigurationException(
                $"{PublishConcurrencyVariable}='{value}' is not a whole number from 1 to {MaxPublishConcurrency} (PutRecords calls in flight at once).");
    }

    // Kinesis stream names: 1-128 characters of [a-zA-Z0-9_.-].
    private static void ValidateStreamName(string variable, string name)
    {
        if (name.Length > 128 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
        {
            throw new FunctionConfigurationException(
                $"{variable}='{name}' is not a Kinesis stream name (1-128 characters of letters, digits, '_', '.', '-').");
        }
    }

    private static void RequireKeySegment(string variable, string value)
    {
        if (value.Contains('/', StringComparison.Ordinal))
        {
            throw new FunctionConfigurationException($"{variable}='{value}' must not contain '/': it is one segment of the model key.");
        }
    }
}
