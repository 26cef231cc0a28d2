using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.Data.Tlc;
using StreamPredict.LocalLambda.Emulators;

namespace StreamPredict.Cli.Bench;

/// <summary>
/// `bench batch`: whole `streampredict score` processes, parquet in and parquet out on local disk, on files made by
/// repeating a month: rows/s, peak RSS, and each stage's busy time, per model and per file size.
/// </summary>
internal static class BatchBenchCommand
{
    public static Command Create(CliContext context)
    {
        var source = new Option<FileInfo?>("--source") { Description = "The month to repeat (parquet, CSV or csv.gz; default: the bundled February 2021 sample)." };
        var rows = new Option<long[]>("--rows") { Description = "Rows per input file (repeatable).", DefaultValueFactory = _ => [2_500_000], AllowMultipleArgumentsPerToken = true };
        var models = new Option<FileInfo[]>("--model")
        {
            Description = "Models to score with (repeatable; default: a linear model trained on the bundled January sample, and the course forest when run from a clone).",
            AllowMultipleArgumentsPerToken = true,
        };
        var work = new Option<DirectoryInfo?>("--work") { Description = "Where the input files are made and kept (default: ~/.cache/streampredict/bench-batch)." };
        var groupRows = new Option<int>("--row-group-rows") { Description = "Rows per row group of the made files (pyarrow's default, 1,048,576).", DefaultValueFactory = _ => TlcParquetWriter.DefaultRowGroupRows };
        var runs = new Option<int>("--runs") { Description = "Runs per model and size; the medians are reported (wall time and CPU time).", DefaultValueFactory = _ => 1 };
        var json = CommandActions.JsonOption();
        var command = new Command("batch", "Time whole `score` processes on large parquet files: rows/s, peak RSS, time per stage.") { source, rows, models, work, groupRows, runs, json };
        CommandActions.Set(command, context, async (parse, cancellationToken) =>
        {
            var folder = parse.GetValue(work)?.FullName ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "streampredict", "bench-batch");
            Directory.CreateDirectory(folder);
            var runCount = parse.GetValue(runs);
            if (runCount is < 1 or > 20)
            {
                throw new CliException($"--runs must be 1..20, got {runCount}.");
            }

            var modelFiles = ModelsToRun(folder, parse.GetValue(models));
            var month = parse.GetValue(source)?.FullName ?? Path.Combine(AppContext.BaseDirectory, "SampleData", "green_tripdata_2021-02.rides.csv.gz");
            var (taxi, trips) = await TlcParquetWriter.ReadAllAsync(month, cancellationToken).ConfigureAwait(false);
            var results = new Summary();
            foreach (var size in parse.GetValue(rows) ?? [])
            {
                if (size is < 1 or > 1_000_000_000)
                {
                    throw new CliException($"--rows must be 1..1000000000, got {size}.");
                }

                var perGroup = parse.GetValue(groupRows);
                if (perGroup < 1)
                {
                    throw new CliException($"--row-group-rows must be at least 1, got {perGroup}.");
                }

                var input = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{taxi.Name()}_tripdata_2021-02.x{size}.g{perGroup}.parquet"));
                if (!File.Exists(input))
                {
                    context.Info($"bench batch: writing {size:N0} rows ({trips.Count:N0} trips of {Path.GetFileName(month)} repeated) to {input}...");
                    await TlcParquetWriter.WriteRepeatedAsync(input + ".tmp", taxi, trips, size, cancellationToken, perGroup).ConfigureAwait(false);
                    File.Move(input + ".tmp", input, overwrite: true);
                }

                foreach (var (name, model) in modelFiles)
                {
                    var timed = new List<(double Seconds, double CpuSeconds, Summary Summary)>();
                    for (var run = 0; run < runCount; run++)
                    {
                        timed.Add(await RunScoreAsync(context, input, Path.Combine(folder, "out.parquet"), model, cancellationToken).ConfigureAwait(false));
                    }

                    // Medians: a shared machine's load moves single runs both ways; CPU time is the steadier figure.
                    var median = timed.OrderBy(t => t.Seconds).ElementAt(timed.Count / 2);
                    var cpu = timed.Select(t => t.CpuSeconds).Order().ElementAt(timed.Count / 2);
                    context.Info($"bench batch: {name} on {size:N0} rows: {size / median.Seconds:N0} rows/s, {size / cpu:N0} rows per CPU-second (medians of {timed.Count})");
                    results.Add(string.Create(CultureInfo.InvariantCulture, $"{name}_{size}"), median.Summary
                        .Add("process_seconds", median.Seconds).Add("process_rows_per_second", size / median.Seconds)
                        .Add("process_cpu_seconds", cpu).Add("rows_per_cpu_second", size / cpu)
                        .Add("cpu_microseconds_per_row", cpu * 1e6 / size));
                }
            }

            context.WriteSummary(new Summary().Add("source", month).Add("processors", Environment.ProcessorCount)
                .Add("row_group_rows", parse.GetValue(groupRows)).Add("runs", results), parse.GetValue(json));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The models given, or a linear one trained on the bundled sample plus the repository's course forest.</summary>
    private static List<(string Name, string Path)> ModelsToRun(string folder, FileInfo[]? given)
    {
        if (given is { Length: > 0 })
        {
            return [.. given.Select(f => f.Exists ? (System.IO.Path.GetFileNameWithoutExtension(f.Name).Replace(".model", "", StringComparison.Ordinal), f.FullName)
                : throw new CliException($"--model '{f.FullName}' does not exist."))];
        }

        var linear = Path.Combine(folder, "linear.model.json");
        File.WriteAllBytes(linear, BenchEnvironment.ModelBytes(null));
        var models = new List<(string, string)> { ("linear", linear) };
        if (RepositoryLocator.Find(Environment.CurrentDirectory, AppContext.BaseDirectory) is { } root)
        {
            models.Add(("forest", Path.Combine(root, "tests", "StreamPredict.Tests", "TestData", "course-forest.model.json")));
        }

        return models;
    }

    /// <summary>A fresh `streampredict score` process (this same CLI), timed from start to exit; its CPU time and --json summary.</summary>
    private static async Task<(double Seconds, double CpuSeconds, Summary Summary)> RunScoreAsync(CliContext context, string input, string output, string model, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!);
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (var argument in new[] { "score", "--input", input, "--output", output, "--model", model, "--run-id", "bench", "--json" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in context.Overrides)
        {
            start.Environment[name] = value;
        }

        var (exitCode, text, error, seconds) = await ChildProcess.RunAsync(start, "Could not start `streampredict score`.", cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new CliException($"`score` exited with {exitCode}: {error}");
        }

        using var document = JsonDocument.Parse(text.Trim().Split('\n')[^1]);
        var root = document.RootElement;
        var stages = new Summary();
        foreach (var stage in root.GetProperty("stage_seconds").EnumerateObject())
        {
            stages.Add(stage.Name, stage.Value.GetDouble());
        }

        return (seconds, root.GetProperty("process_cpu_seconds").GetDouble(), new Summary()
            .Add("rows_in", root.GetProperty("rows_in").GetInt64())
            .Add("scored", root.GetProperty("scored").GetInt64())
            .Add("job_seconds", root.GetProperty("seconds").GetDouble())
            .Add("job_rows_per_second", root.GetProperty("rows_per_second").GetDouble())
            .Add("peak_rss_mb", root.GetProperty("peak_rss_mb").GetDouble())
            .Add("stage_seconds", stages));
    }
}
