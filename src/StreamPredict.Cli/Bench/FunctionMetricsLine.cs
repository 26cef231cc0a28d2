using System.Text.Json;

namespace StreamPredict.Cli.Bench;

/// <summary>The function's per-invocation EMF line on stdout (the one naming _aws.CloudWatchMetrics).</summary>
internal static class FunctionMetricsLine
{
    public static bool Is(string line) => line.Contains("\"CloudWatchMetrics\"", StringComparison.Ordinal);

    /// <summary>The line's PublishMs: the time the invocation spent in PutRecords; null when it is not a metrics line.</summary>
    public static double? PublishMs(string line)
    {
        if (!Is(line))
        {
            return null;
        }

        using var document = JsonDocument.Parse(line);
        return document.RootElement.GetProperty("PublishMs").GetDouble();
    }
}
