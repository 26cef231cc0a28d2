using System.Globalization;
using StreamPredict.Serving.Models;
using StreamPredict.Serving.Streaming;

namespace StreamPredict.Function.Configuration;

/// <summary>
/// The function's environment, read in one place and course-compatible: the streams, the dry-run switch, and the model's
/// location (<see cref="ModelLocation"/>, shared with the other modes). The endpoint and credential variables belong to
/// AwsEnvironment and are not listed here.
/// </summary>
internal sealed record FunctionSettings
{
    /// <summary>Every variable the function reads itself.</summary>
    public static IReadOnlyList<string> VariableNames => StreamingVariables.FunctionVariableNames;

    public string PredictionsStreamName { get; init; } = StreamingVariables.DefaultPredictionsStream;

    public string? RejectionsStreamName { get; init; }

    public required ModelLocation Model { get; init; }

    public bool TestRun { get; init; }

    /// <summary>RUN_ID when set: the version every output event carries, as the course's lambda uses RUN_ID as its
    /// model_version (also when MODEL_LOCATION names the model). Null: the model's own version.</summary>
    public string? ModelVersion { get; init; }

    public int PublishConcurrency { get; init; } = StreamingVariables.DefaultPublishConcurrency;

    /// <summary>Reads and validates; throws <see cref="FunctionConfigurationException"/> or <see cref="ModelUnavailableException"/>
    /// naming the variable at fault.</summary>
    public static FunctionSettings FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        string? Read(string name) => getVariable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        var predictions = Read(StreamingVariables.PredictionsStream) ?? StreamingVariables.DefaultPredictionsStream;
        ValidateStreamName(StreamingVariables.PredictionsStream, predictions);
        var rejections = Read(StreamingVariables.RejectionsStream);
        if (rejections is not null)
        {
            ValidateStreamName(StreamingVariables.RejectionsStream, rejections);
        }

        return new FunctionSettings
        {
            PredictionsStreamName = predictions,
            RejectionsStreamName = rejections,
            TestRun = ParseTestRun(Read(StreamingVariables.TestRun)),
            Model = ModelLocation.FromEnvironment(getVariable),
            ModelVersion = Read(ModelLocation.RunIdVariable),
            PublishConcurrency = ParsePublishConcurrency(Read(StreamingVariables.PublishConcurrency)),
        };
    }

    private static bool ParseTestRun(string? value) => value switch
    {
        null or "False" or "false" or "0" => false,
        "True" or "true" or "1" => true,
        _ => throw new FunctionConfigurationException($"{StreamingVariables.TestRun}='{value}' is not a boolean: use True or False."),
    };

    private static int ParsePublishConcurrency(string? value)
    {
        if (value is null)
        {
            return StreamingVariables.DefaultPublishConcurrency;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var concurrency) && concurrency is >= 1 and <= StreamingVariables.MaxPublishConcurrency
            ? concurrency
            : throw new FunctionConfigurationException(
                $"{StreamingVariables.PublishConcurrency}='{value}' is not a whole number from 1 to {StreamingVariables.MaxPublishConcurrency} (PutRecords calls in flight at once).");
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
}
