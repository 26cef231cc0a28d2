using System.CommandLine;
using System.Globalization;
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
        var runs = new Option<int>("--runs") { Description = "Fresh starts per configuration (1..200).", DefaultValueFactory = _ => 10 };
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
        var json = CommandActions.JsonOption();
        var command = new Command("coldstart", "Cold start of the published function (model fetched from S3): time to init done and to the first response.")
        {
            runs, configs, model, cache, noPublish, dryRun, functionEnvironment, json,
        };
        CommandActions.Set(command, context, async (parse, cancellationToken) =>
        {
            var runCount = parse.GetValue(runs);
            if (runCount is < 1 or > 200)
            {
                throw new CliException($"--runs must be 1..200, got {runCount}.");
            }

            var chosen = ColdStartConfig.Parse(parse.GetValue(configs));
            var extraVariables = ParseEnvironment(parse.GetValue(functionEnvironment));
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

                var summary = new Summary().Add("runs", runCount).Add("test_run", testRun)
                    .Add("function_env", string.Join(" ", extraVariables.Select(v => $"{v.Name}={v.Value}")));
                var table = new List<string> { "config         | init done median / p90 | first response median / p90 | CPU to 1st | peak RSS 10k | zip      | trim warnings" };
                foreach (var config in chosen)
                {
                    var published = await FunctionPublisher.PublishAsync(root, config, cacheDirectory, !parse.GetValue(noPublish), context.Info, cancellationToken).ConfigureAwait(false);
                    var init = new List<double>();
                    var response = new List<double>();
                    var inProcess = new List<double>();
                    var cpu = new List<double>();
                    var firstPublish = new List<double>();
                    double? rss = null;
                    double? batchMs = null;
                    for (var run = 0; run < runCount; run++)
                    {
                        var last = run == runCount - 1;
                        var timing = await ColdStartRun.RunAsync(published.Executable, variables, firstEvent, last ? batch : null, cancellationToken).ConfigureAwait(false);
                        init.Add(timing.InitDoneMs);
                        response.Add(timing.FirstResponseMs);
                        if (timing.CpuMsToFirstResponse is { } cpuMs)
                        {
                            cpu.Add(cpuMs);
                        }

                        if (timing.InitMsInProcess is { } ms)
                        {
                            inProcess.Add(ms);
                        }

                        if (timing.FirstPublishMs is { } publishMs)
                        {
                            firstPublish.Add(publishMs);
                        }

                        rss ??= timing.PeakRssMb;
                        batchMs ??= timing.BatchMs;
                    }

                    summary.Add(config.Name, new Summary()
                        .Add("description", config.Description)
                        .Add("init_done_ms_median", Math.Round(Percentiles.Median(init), 1))
                        .Add("init_done_ms_p90", Math.Round(Percentiles.Of(init, 90), 1))
                        .Add("init_ms_in_process_median", inProcess.Count > 0 ? Math.Round(Percentiles.Median(inProcess), 1) : null)
                        .Add("first_response_ms_median", Math.Round(Percentiles.Median(response), 1))
                        .Add("first_response_ms_p90", Math.Round(Percentiles.Of(response, 90), 1))
                        .Add("cpu_ms_to_first_response_median", cpu.Count > 0 ? Math.Round(Percentiles.Median(cpu), 1) : null)
                        .Add("first_publish_ms_median", firstPublish.Count > 0 ? Math.Round(Percentiles.Median(firstPublish), 1) : null)
                        .Add("peak_rss_mb_after_10k_batch", rss is { } r ? Math.Round(r, 1) : null)
                        .Add("batch_10k_ms", batchMs is { } b ? Math.Round(b, 1) : null)
                        .Add("zip_bytes", published.ZipBytes)
                        .Add("unpacked_bytes", published.UnpackedBytes)
                        .Add("trim_warnings", published.TrimWarnings));
                    table.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{config.Name,-14} | {Percentiles.Median(init),8:F1} / {Percentiles.Of(init, 90),6:F1} ms | {Percentiles.Median(response),11:F1} / {Percentiles.Of(response, 90),6:F1} ms   | {(cpu.Count > 0 ? Percentiles.Median(cpu) : double.NaN),6:F0} ms | {rss,7:F1} MB | {published.ZipBytes / 1048576.0,5:F1} MB | {published.TrimWarnings}"));
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

    /// <summary>--env values: NAME=VALUE each; the value may be empty or contain '='.</summary>
    internal static IReadOnlyList<(string Name, string Value)> ParseEnvironment(IEnumerable<string>? assignments)
    {
        var parsed = new List<(string, string)>();
        foreach (var assignment in assignments ?? [])
        {
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliException($"--env: '{assignment}' is not NAME=VALUE.");
            }

            parsed.Add((assignment[..equals], assignment[(equals + 1)..]));
        }

        return parsed;
    }
}
