using System.Globalization;
using System.Text.Json;
using StreamPredict.Aws.Diagnostics;

namespace StreamPredict.Cli.Bench;

/// <summary>
/// One phase of a cold start, from the function's startup trace (<see cref="StartupTrace"/>): when it was reached, in
/// ms since the bench started the process, and the CPU ms (user + system, all threads) the function had used by then.
/// </summary>
internal sealed record StartupPhase(string Phase, double Ms, double CpuMs)
{
    /// <summary>What marks the trace's log line.</summary>
    public const string TraceMarker = "\"" + StartupTrace.LogMember + "\"";

    /// <summary>
    /// The marks of one trace line; <paramref name="startedMs"/> is the bench's monotonic clock (ms) when it started the
    /// process. A phase reached more than once is numbered ("kinesis answered #2"). Null when there is no line.
    /// </summary>
    public static IReadOnlyList<StartupPhase>? Parse(string? line, double startedMs)
    {
        if (line is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(line);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var phases = new List<StartupPhase>();
        foreach (var mark in document.RootElement.GetProperty(StartupTrace.LogMember).GetProperty("marks").EnumerateArray())
        {
            var name = mark.GetProperty("phase").GetString() ?? "?";
            var count = seen[name] = seen.GetValueOrDefault(name) + 1;
            phases.Add(new StartupPhase(
                count == 1 ? name : string.Create(CultureInfo.InvariantCulture, $"{name} #{count}"),
                mark.GetProperty("ms").GetDouble() - startedMs,
                mark.GetProperty("cpuMs").GetDouble()));
        }

        return phases;
    }

    /// <summary>Per phase, in the order of the first run that reached it: the median ms since start, and the median CPU ms.</summary>
    public static IReadOnlyList<StartupPhase> Medians(IEnumerable<IReadOnlyList<StartupPhase>> runs)
    {
        var order = new List<string>();
        var byPhase = new Dictionary<string, (List<double> Ms, List<double> Cpu)>(StringComparer.Ordinal);
        foreach (var phase in runs.SelectMany(run => run))
        {
            if (!byPhase.TryGetValue(phase.Phase, out var values))
            {
                byPhase[phase.Phase] = values = ([], []);
                order.Add(phase.Phase);
            }

            values.Ms.Add(phase.Ms);
            values.Cpu.Add(phase.CpuMs);
        }

        return order.Select(name => new StartupPhase(name, Percentiles.Median(byPhase[name].Ms), Percentiles.Median(byPhase[name].Cpu))).ToList();
    }
}
