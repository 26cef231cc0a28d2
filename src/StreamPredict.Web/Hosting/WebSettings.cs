using System.Globalization;
using StreamPredict.Serving.Models;

namespace StreamPredict.Web.Hosting;

/// <summary>
/// The web service's own variables, read in one place. The model's location is read exactly as the function reads it
/// (<see cref="ModelLocation.FromEnvironment"/>); endpoints, region and credentials belong to AwsEnvironment.
/// </summary>
internal sealed record WebSettings
{
    public const string PollSecondsVariable = "MODEL_POLL_SECONDS";
    public const string MaxBodyBytesVariable = "MAX_REQUEST_BYTES";
    public const string MaxBatchRidesVariable = "MAX_BATCH_RIDES";

    /// <summary>The course's port (its Flask app and gunicorn listen on 9696).</summary>
    public const int DefaultPort = 9696;

    public const int DefaultMaxBodyBytes = 1024 * 1024;
    public const int DefaultMaxBatchRides = 10_000;

    /// <summary>Every variable the service reads itself (template.yaml's web function environment is checked against it).</summary>
    public static IReadOnlyList<string> VariableNames { get; } =
        [.. ModelLocation.VariableNames, PollSecondsVariable, MaxBodyBytesVariable, MaxBatchRidesVariable];

    public required ModelLocation Model { get; init; }

    /// <summary>How often to check the stored model for a new version; null: never (SIGHUP still forces a check).</summary>
    public TimeSpan? PollInterval { get; init; }

    /// <summary>A body over this answers 413.</summary>
    public int MaxBodyBytes { get; init; } = DefaultMaxBodyBytes;

    /// <summary>A batch of more rides than this answers 413.</summary>
    public int MaxBatchRides { get; init; } = DefaultMaxBatchRides;

    /// <summary>Reads and validates; throws <see cref="WebConfigurationException"/> or <see cref="ModelUnavailableException"/> naming the variable.</summary>
    public static WebSettings FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        string? Read(string name) => getVariable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        var poll = PositiveInt(PollSecondsVariable, Read(PollSecondsVariable), allowZero: true);
        return new WebSettings
        {
            Model = ModelLocation.FromEnvironment(getVariable),
            PollInterval = poll is null or 0 ? null : TimeSpan.FromSeconds(poll.Value),
            MaxBodyBytes = PositiveInt(MaxBodyBytesVariable, Read(MaxBodyBytesVariable), allowZero: false) ?? DefaultMaxBodyBytes,
            MaxBatchRides = PositiveInt(MaxBatchRidesVariable, Read(MaxBatchRidesVariable), allowZero: false) ?? DefaultMaxBatchRides,
        };
    }

    private static int? PositiveInt(string variable, string? value, bool allowZero)
    {
        if (value is null)
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || (number == 0 && !allowZero))
        {
            throw new WebConfigurationException(
                $"{variable}='{value}' is not a {(allowZero ? "whole number of 0 or more (0: off)" : "positive whole number")}.");
        }

        return number;
    }
}

/// <summary>A setting of the web service is wrong; the message names the variable or option.</summary>
public sealed class WebConfigurationException : Exception
{
    public WebConfigurationException() { }

    public WebConfigurationException(string message) : base(message) { }

    public WebConfigurationException(string message, Exception inner) : base(message, inner) { }
}
