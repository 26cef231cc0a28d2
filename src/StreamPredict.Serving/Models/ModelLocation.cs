using System.Globalization;
using StreamPredict.Aws.S3;

namespace StreamPredict.Serving.Models;

/// <summary>
/// Where a model is: a local file or folder, or an S3 object. Every mode reads it the same way, from the same
/// variables (the course's), or from a command-line value that is a path or an <c>s3://bucket/key</c> URL.
/// </summary>
/// <remarks>
/// From the environment, first match wins: MODEL_LOCATION (a path or an s3:// URL); MODEL_BUCKET + MODEL_KEY;
/// MODEL_BUCKET + the course's key <c>{MLFLOW_EXPERIMENT_ID}/{RUN_ID}/artifacts/model/model.json</c>.
/// </remarks>
public sealed record ModelLocation
{
    public const string LocationVariable = "MODEL_LOCATION";
    public const string BucketVariable = "MODEL_BUCKET";
    public const string KeyVariable = "MODEL_KEY";
    public const string ExperimentIdVariable = "MLFLOW_EXPERIMENT_ID";
    public const string RunIdVariable = "RUN_ID";
    public const string DefaultExperimentId = "1";

    /// <summary>Every variable <see cref="FromEnvironment"/> reads.</summary>
    public static IReadOnlyList<string> VariableNames { get; } =
        [LocationVariable, BucketVariable, KeyVariable, ExperimentIdVariable, RunIdVariable];

    /// <summary>A local file or folder; null for S3.</summary>
    public string? LocalPath { get; init; }

    public string? Bucket { get; init; }

    public string? Key { get; init; }

    /// <summary>What named this location (a variable or an option), for error messages.</summary>
    public string Origin { get; init; } = LocationVariable;

    public bool IsS3 => LocalPath is null;

    /// <summary>The path, or s3://bucket/key.</summary>
    public override string ToString() => LocalPath ?? $"s3://{Bucket}/{Key}";

    /// <summary>The course's artifact key for an MLflow run.</summary>
    public static string CourseModelKey(string experimentId, string runId)
        => string.Create(CultureInfo.InvariantCulture, $"{experimentId}/{runId}/artifacts/model/model.json");

    /// <summary>A path or s3://bucket/key given by <paramref name="origin"/> (an option or a variable).</summary>
    public static ModelLocation Parse(string location, string origin)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        if (!S3Address.IsS3(location))
        {
            return new ModelLocation { LocalPath = location, Origin = $"{origin}='{location}'" };
        }

        if (!S3Address.TryParse(location, allowEmptyKey: false, out var address))
        {
            throw new ModelUnavailableException($"{origin}='{location}' is not an S3 object URL: use s3://bucket/key.");
        }

        return new ModelLocation { Bucket = address.Bucket, Key = address.Key, Origin = $"{origin}='{location}'" };
    }

    /// <summary>Reads the model variables; throws <see cref="ModelUnavailableException"/> naming the variable at fault.</summary>
    public static ModelLocation FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        string? Read(string name) => getVariable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        if (Read(LocationVariable) is { } location)
        {
            return Parse(location, LocationVariable);
        }

        var bucket = Read(BucketVariable) ?? throw new ModelUnavailableException(
            $"{BucketVariable} is not set: set {BucketVariable} with {KeyVariable} or {RunIdVariable}, or set {LocationVariable} to a local model.json.");
        if (Read(KeyVariable) is { } key)
        {
            return new ModelLocation { Bucket = bucket, Key = key, Origin = $"{BucketVariable}='{bucket}' and {KeyVariable}" };
        }

        var runId = Read(RunIdVariable) ?? throw new ModelUnavailableException(
            $"Neither {KeyVariable} nor {RunIdVariable} is set: {BucketVariable}='{bucket}' needs one of them to find the model.");
        var experimentId = Read(ExperimentIdVariable) ?? DefaultExperimentId;
        RequireKeySegment(ExperimentIdVariable, experimentId);
        RequireKeySegment(RunIdVariable, runId);
        return new ModelLocation
        {
            Bucket = bucket,
            Key = CourseModelKey(experimentId, runId),
            Origin = $"{BucketVariable}='{bucket}', {ExperimentIdVariable}='{experimentId}' and {RunIdVariable}='{runId}'",
        };
    }

    private static void RequireKeySegment(string variable, string value)
    {
        if (value.Contains('/', StringComparison.Ordinal))
        {
            throw new ModelUnavailableException($"{variable}='{value}' must not contain '/': it is one segment of the model key.");
        }
    }
}
