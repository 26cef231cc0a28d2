using System.CommandLine;
using System.Globalization;
using StreamPredict.Aws.Diagnostics;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.LocalLambda.Emulators;
using StreamPredict.Serving.Models;
using StreamPredict.Serving.Streaming;

namespace StreamPredict.Cli.Bench;

/// <summary>`bench coldstart`: publish the function per configuration, start it fresh N times, time init and first response.</summary>
internal static class ColdStartCommand
{
    public static Command Create(CliContext context)
    {
        var runs = new Option<int>("--runs") { Description = "Timed fresh starts per configuration (1..200), alternated across them; then one more each for the 10k batch.", DefaultValueFactory = _ => 10 };
        var configs = new Option<string[]>("--config")
        {
            Description = $"Configurations to compare: {string.Join(", ", ColdStartConfig.All.Select(c => c.Name))} (default: all).",
            AllowMultipleArgumentsPerToken = true,
        };
        var model = new Option<FileInfo?>("--model") { Description = "The model to serve (default: a linear model trained on the bundled sample)." };
        var cache = new Option<DirectoryInfo?>("--cache") { Description = "Where published functions are kept (default ~/.cache/streampredict/bench)." };
        var noPublish = new Option<bool>("--no-publish") { Description = "Reuse the functions an earlier run published into the cache." };
        var dryRun = new Option<bool>("--dry-run") { Description = "TEST_RUN=True: the first response does not wait for PutRecords, and batch_10k_ms is the shipped binary's hot path." };
        var functionEnvironment = new Option<string[]>("--env")
        {
            Description = "NAME=VALUE set in the function's environment (repeatable), e.g. DOTNET_TieredPGO=0 to try a runtime knob without republishing.",
            AllowMultipleArgumentsPerToken = true,
        };
        var executables = new Option<string[]>("--executable")
        {
            Description = "NAME=PATH of an already published bootstrap to start beside the configurations (repeatable), e.g. main's build from its own clone.",
            AllowMultipleArgumentsPerToken = true,
        };
        var trace = new Option<bool>("--trace") { Description = $"Set {StartupTrace.Variable}=1 and report the median time and CPU at each phase the function marks on its way to the first response." };
        var json = CommandActions.JsonOption();
        var command = new Command("coldstart", "Cold start of the published function (model fetched from S3): time to init done and to the first response.")
        {
            runs, configs, model, cache, noPublish, dryRun, functionEnvironment, executables, trace, json,
        };
        CommandActions.Set(command, context, async (parse, cancellationToken) =>
        {
            var runCount = parse.GetValue(runs);
            if (runCount is < 1 or > 200)
            {
                throw new CliException($"--runs must be 1..200, got {runCount}.");
            }

            var prebuilt = ParseEnvironment(parse.GetValue(executables), "--executable");
            var chosen = prebuilt.Count > 0 && parse.GetValue(configs) is not { Length: > 0 } ? [] : ColdStartConfig.Parse(parse.GetValue(configs));
            var extraVariables = ParseEnvironment(parse.GetValue(functionEnvironment), "--env");
            var root = RepositoryLocator.Require("streampredict bench coldstart");
            var modelBytes = BenchEnvironment.ModelBytes(parse.GetValue(model));
            var cacheDirectory = parse.GetValue(cache)?.FullName ?? FunctionPublisher.DefaultCache();
            var testRun = parse.GetValue(dryRun);
            var firstEvent = BenchEvents.Event(BenchEvents.Rides(1, "cold"));
            var batch = BenchEvents.Event(BenchEvents.Rides(10_000, "batch"));

            var environment = await BenchEnvironment.StartAsync(context, "bench coldstart", cancellationToken).ConfigureAwait(false);
            await using (environment.ConfigureAwait(false))
            {
                var variables = await environment.PutModelAsync(modelBytes, cancellationToken).ConfigureAwait(false);
                variables[StreamingVariables.TestRun] = testRun ? "True" : "False";
                if (!testRun)
                {
                    variables[StreamingVariables.PredictionsStream] = await environment.CreateStreamAsync("bench-cold", cancellationToken).ConfigureAwait(false);
                }

                foreach (var (name, value) in extraVariables)
                {
                    variables[name] = value;
                }

                if (parse.GetValue(trace))
                {
                    variables[StartupTrace.Variable] = "1";
                }

                var summary = new Summary().Add("runs", runCount).Add("test_run", testRun)
                    .Add("function_env", string.Join(" ", extraVariables.Select(v => $"{v.Name}={v.Value}")));
                var table = new List<string> { "config         | init done median / p90 | first response median / p90 | CPU to 1st | peak RSS 10k | zip      | trim warnings" };
                var builds = new List<(string Name, string Description, FunctionPublisher.Published Published)>();
                foreach (var config in chosen)
                {
                    var published = await FunctionPublisher.PublishAsync(root, config, cacheDirectory, !parse.GetValue(noPublish), context.Info, cancellationToken).ConfigureAwait(false);
                    builds.Add((config.Name, config.Description, published));
                }

                foreach (var (name, path) in prebuilt)
                {
                    builds.Add((name, $"prebuilt {path}", FunctionPublisher.Existing(Path.GetFullPath(path))));
                }

                // Round-robin over the builds, so the neighbours' load moves each of them alike.
                var results = builds.Select(_ => new List<ColdStartRun.Timing>()).ToList();
                for (var run = 0; run < runCount; run++)
                {
                    for (var b = 0; b < builds.Count; b++)
                    {
                        results[b].Add(await ColdStartRun.RunAsync(builds[b].Published.Executable, variables, firstEvent, null, cancellationToken).ConfigureAwait(false));
                    }
                }

                // The 10k batch in one more start per build, after every timed start: kinesis-local keeps working through
                // a batch's records after the process has gone, which would slow the next build's first PutRecords.
                var batches = new List<ColdStartRun.Timing>();
                foreach (var build in builds)
                {
                    batches.Add(await ColdStartRun.RunAsync(build.Published.Executable, variables, firstEvent, batch, cancellationToken).ConfigureAwait(false));
                }

                for (var b = 0; b < builds.Count; b++)
                {
                    var (name, description, published) = builds[b];
                    var timings = results[b];
                    var init = timings.Select(t => t.InitDoneMs).ToList();
                    var response = timings.Select(t => t.FirstResponseMs).ToList();
                    var inProcess = timings.Where(t => t.InitMsInProcess is not null).Select(t => t.InitMsInProcess!.Value).ToList();
                    var cpu = timings.Where(t => t.CpuMsToFirstResponse is not null).Select(t => t.CpuMsToFirstResponse!.Value).ToList();
                    var firstPublish = timings.Where(t => t.FirstPublishMs is not null).Select(t => t.FirstPublishMs!.Value).ToList();
                    var rss = batches[b].PeakRssMb;
                    var batchMs = batches[b].BatchMs;
                    var (initMedian, initP90) = (Percentiles.Median(init), Percentiles.Of(init, 90));
                    var (responseMedian, responseP90) = (Percentiles.Median(response), Percentiles.Of(response, 90));
                    double? cpuMedian = cpu.Count > 0 ? Percentiles.Median(cpu) : null;
                    var phases = timings.Where(t => t.Phases is not null).Select(t => t.Phases!).ToList();
                    var phaseSummary = new Summary();
                    foreach (var phase in StartupPhase.Medians(phases))
                    {
                        phaseSummary.Add(phase.Phase, new Summary().Add("ms", Math.Round(phase.Ms, 2)).Add("cpu_ms", Math.Round(phase.CpuMs, 2)));
                        table.Add(string.Create(CultureInfo.InvariantCulture, $"  {name,-12} {phase.Phase,-28} {phase.Ms,8:F2} ms since exec, {phase.CpuMs,6:F2} ms CPU"));
                    }

                    summary.Add(name, new Summary()
                        .Add("description", description)
                        .Add("init_done_ms_median", Math.Round(initMedian, 1))
                        .Add("init_done_ms_p90", Math.Round(initP90, 1))
                        .Add("init_ms_in_process_median", inProcess.Count > 0 ? Math.Round(Percentiles.Median(inProcess), 1) : null)
                        .Add("first_response_ms_median", Math.Round(responseMedian, 1))
                        .Add("first_response_ms_p90", Math.Round(responseP90, 1))
                        .Add("first_response_ms_max", Math.Round(response.Max(), 1))
                        .Add("cpu_ms_to_first_response_median", cpuMedian is { } cm ? Math.Round(cm, 1) : null)
                        .Add("first_publish_ms_median", firstPublish.Count > 0 ? Math.Round(Percentiles.Median(firstPublish), 1) : null)
                        .Add("peak_rss_mb_after_10k_batch", rss is { } r ? Math.Round(r, 1) : null)
                        .Add("batch_10k_ms", batchMs is { } bm ? Math.Round(bm, 1) : null)
                        .Add("zip_bytes", published.ZipBytes)
                        .Add("unpacked_bytes", published.UnpackedBytes)
                        .Add("trim_warnings", published.TrimWarnings)
                        .Add("phases", phases.Count > 0 ? phaseSummary : null));
                    table.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{name,-14} | {initMedian,8:F1} / {initP90,6:F1} ms | {responseMedian,11:F1} / {responseP90,6:F1} ms   | {cpuMedian ?? double.NaN,6:F1} ms | {rss,7:F1} MB | {published.ZipBytes / 1048576.0,5:F1} MB | {published.TrimWarnings}"));
                }

                foreach (var line in table)
                {
                    context.Info(line);
                }

                context.WriteSummary(summary, parse.GetValue(json));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>--env (or --executable) values: NAME=VALUE each; the value may be empty or contain '='.</summary>
    internal static IReadOnlyList<(string Name, string Value)> ParseEnvironment(IEnumerable<string>? assignments, string option = "--env")
    {
        var parsed = new List<(string, string)>();
        foreach (var assignment in assignments ?? [])
        {
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliException($"{option}: '{assignment}' is not NAME=VALUE.");
            }

            parsed.Add((assignment[..equals], assignment[(equals + 1)..]));
        }

        return parsed;
    }
}
