using System.Diagnostics;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.LocalLambda.Runtime;

namespace StreamPredict.Cli.Bench;

/// <summary>
/// One cold start: the published executable started fresh against a new loopback Runtime API that already holds the
/// first event, as Lambda does. Init is done when the function first asks for an event; the first response ends it.
/// </summary>
internal static class ColdStartRun
{
    /// <param name="InitMsInProcess">The function's own "init done" initMs: from Main to init done, so InitDoneMs − this is the runtime's start-up.</param>
    /// <param name="CpuMsToFirstResponse">CPU time (all threads, user + system) the function used up to its first response: unlike wall time, barely moved by other load on the box.</param>
    /// <param name="FirstPublishMs">The function's PublishMs for the first event: the part of the first response spent in PutRecords (0 in a dry run).</param>
    /// <param name="BatchMs">Wall time of the follow-up invocation (e.g. the 10k batch), when there is one.</param>
    /// <param name="Phases">With the startup trace on: each phase the function marked, in ms since the bench started the process, and the function's CPU ms by then.</param>
    public sealed record Timing(double InitDoneMs, double FirstResponseMs, double? InitMsInProcess, double? CpuMsToFirstResponse, double? PeakRssMb,
        double? FirstPublishMs, double? BatchMs, IReadOnlyList<StartupPhase>? Phases = null);

    /// <param name="afterwards">Optional second event sent once the first answered (e.g. a 10k batch); peak RSS is read after it.</param>
    public static async Task<Timing> RunAsync(string executable, IReadOnlyDictionary<string, string> environment, byte[] firstEvent,
        byte[]? afterwards, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(60);
        var runtime = RuntimeApiEmulator.Start();
        await using (runtime.ConfigureAwait(false))
        {
            var startInfo = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Path.GetDirectoryName(executable)!,
            };
            startInfo.Environment.Clear();
            foreach (var (name, value) in FunctionHost.LambdaEnvironment(environment, runtime.HostAndPort, 512, "StreamPredictBench"))
            {
                startInfo.Environment[name] = value;
            }

            startInfo.Environment["LAMBDA_TASK_ROOT"] = Path.GetDirectoryName(executable)!;
            var lines = new Queue<string>();
            var first = runtime.InvokeAsync(firstEvent, timeout, cancellationToken);
            var started = Stopwatch.GetTimestamp();
            var startedMs = started * 1000.0 / Stopwatch.Frequency;
            string? traceLine = null;
            using var process = Process.Start(startInfo) ?? throw new CliException($"Could not start {executable}.");
            try
            {
                process.OutputDataReceived += (_, line) =>
                {
                    if (line.Data is { } data && data.Contains(StartupPhase.TraceMarker, StringComparison.Ordinal))
                    {
                        Volatile.Write(ref traceLine, data);
                    }

                    Remember(lines, line.Data);
                };
                process.ErrorDataReceived += (_, line) => Remember(lines, line.Data);
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                var exited = process.WaitForExitAsync(cancellationToken);

                var initDone = await Task.WhenAny(runtime.InitDone, runtime.InitError, exited).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
                var initDoneMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (initDone != runtime.InitDone)
                {
                    throw new CliException($"The function did not finish its init:{Environment.NewLine}{Last(lines)}");
                }

                var outcome = await first.ConfigureAwait(false);
                var firstResponseMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!outcome.Succeeded)
                {
                    throw new CliException($"The first invocation failed: {outcome.Error?.ErrorType}: {outcome.Error?.ErrorMessage}");
                }

                var cpuMs = ProcessCpu.Milliseconds(process.Id);
                var firstPublishMs = await FirstPublishMsAsync(lines).ConfigureAwait(false);
                var phases = environment.TryGetValue(Aws.Diagnostics.StartupTrace.Variable, out var traced) && traced == "1"
                    ? StartupPhase.Parse(await WaitForAsync(() => Volatile.Read(ref traceLine)).ConfigureAwait(false), startedMs)
                    : null;
                double? peakRss = null;
                double? batchMs = null;
                if (afterwards is not null)
                {
                    var batchStarted = Stopwatch.GetTimestamp();
                    var second = await runtime.InvokeAsync(afterwards, timeout, cancellationToken).ConfigureAwait(false);
                    batchMs = Stopwatch.GetElapsedTime(batchStarted).TotalMilliseconds;
                    if (!second.Succeeded)
                    {
                        throw new CliException($"The follow-up invocation failed: {second.Error?.ErrorType}: {second.Error?.ErrorMessage}");
                    }

                    peakRss = PeakRss.OfProcessMegabytes(process.Id);
                }

                return new Timing(initDoneMs, firstResponseMs, InitMs(lines), cpuMs, peakRss, firstPublishMs, batchMs, phases);
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>PublishMs from the first invocation's metrics line; stdout is read asynchronously, so it may trail the answer a little.</summary>
    private static async Task<double?> FirstPublishMsAsync(Queue<string> lines)
    {
        for (var waited = 0; waited < 2_000; waited += 10)
        {
            lock (lines)
            {
                foreach (var line in lines)
                {
                    if (FunctionMetricsLine.PublishMs(line) is { } publishMs)
                    {
                        return publishMs;
                    }
                }
            }

            await Task.Delay(10).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>A line stdout delivers asynchronously, so it may trail the answer a little; null after 2 s.</summary>
    private static async Task<string?> WaitForAsync(Func<string?> line)
    {
        for (var waited = 0; waited < 2_000; waited += 10)
        {
            if (line() is { } found)
            {
                return found;
            }

            await Task.Delay(10).ConfigureAwait(false);
        }

        return null;
    }

    private static double? InitMs(Queue<string> lines)
    {
        lock (lines)
        {
            foreach (var line in lines.Where(l => l.Contains("\"init done\"", StringComparison.Ordinal)))
            {
                using var document = System.Text.Json.JsonDocument.Parse(line);
                return document.RootElement.TryGetProperty("initMs", out var initMs) ? initMs.GetDouble() : null;
            }
        }

        return null;
    }

    private static void Remember(Queue<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (lines)
        {
            lines.Enqueue(line);
            if (lines.Count > 20)
            {
                lines.Dequeue();
            }
        }
    }

    private static string Last(Queue<string> lines)
    {
        lock (lines)
        {
            return string.Join(Environment.NewLine, lines);
        }
    }
}
