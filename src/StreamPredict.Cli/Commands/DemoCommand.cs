using System.CommandLine;
using System.Diagnostics;
using StreamPredict.Cli.Demo;
using StreamPredict.Cli.Infrastructure;

namespace StreamPredict.Cli.Commands;

/// <summary>
/// `demo`: one model in every mode. Train → streaming (emulators, push, produce ∥ run, tail, emulators stopped) → batch
/// (the sample month scored) → web (the service started, asked over HTTP, stopped) → the same rides' predictions
/// compared across the modes → summary.
/// </summary>
internal static class DemoCommand
{
    private const string TrainFile = "green_tripdata_2021-01.train.csv.gz";
    private const string RidesFile = "green_tripdata_2021-02.rides.csv.gz";

    public static Command Create(CliContext context)
    {
        var rides = new Option<int>("--rides") { Description = "How many rides to send (streaming).", DefaultValueFactory = _ => 10_000 };
        rides.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--rides must be at least 1.");
            }
        });
        var poison = new Option<int>("--poison") { Description = "Also send this many malformed events, to show the dead-letter path (streaming).", DefaultValueFactory = _ => 0 };
        var batchSize = new Option<int>("--batch-size") { Description = "The event source mapping's batch size (streaming).", DefaultValueFactory = _ => 100 };
        var shards = new Option<int>("--shards") { Description = "Shards of the input stream (streaming).", DefaultValueFactory = _ => 2 };
        var rate = new Option<double?>("--rate") { Description = "Produce at this many rides per second (default: as fast as Kinesis takes them; streaming)." };
        rate.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is <= 0 or double.NaN)
            {
                result.AddError("--rate must be a positive number of records per second.");
            }
        });
        var modes = new Option<string>("--modes")
        {
            Description = "Which modes to show, comma-separated: streaming (needs the emulators), batch, web. The predictions are compared when two or more run.",
            DefaultValueFactory = _ => DemoModeNames.Default,
        };
        modes.Validators.Add(result =>
        {
            if (!DemoModeNames.TryParse(result.GetValueOrDefault<string>(), out _, out var error))
            {
                result.AddError(error!);
            }
        });
        var json = CommandActions.JsonOption();
        var command = new Command("demo",
            "One model in all three modes, on this machine: train on the bundled TLC sample; streaming (the function behind Kinesis, "
            + "on local emulators: produce, run, account for every record); batch (score the sample month to parquet); web (serve it, "
            + "POST rides to /predict); then show that the same rides get identical predictions in every mode, and summarise.")
        {
            rides, poison, batchSize, shards, rate, modes, json,
        };
        CommandActions.Set(command, context, async (parse, cancellationToken) =>
        {
            var chosen = DemoModeNames.Parse(parse.GetValue(modes));
            var streaming = new StreamingDemoOptions(parse.GetValue(rides), Math.Max(0, parse.GetValue(poison)), parse.GetValue(batchSize),
                Math.Max(1, parse.GetValue(shards)), parse.GetValue(rate));
            var result = await RunAsync(context, chosen, streaming, cancellationToken).ConfigureAwait(false);
            context.WriteSummary(result.ToSummary(), parse.GetValue(json));
            foreach (var disagreement in result.Comparison?.Disagreements() ?? [])
            {
                context.Error.WriteLine($"error: the modes gave different predictions for {disagreement}");
            }

            return result.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    /// <summary>The ride_id prefix of a demo run: the streaming mode sends "{prefix}-{n:D7}".</summary>
    public static string RidePrefix(string runId) => "demo-" + runId[..8];

    public static async Task<DemoResult> RunAsync(CliContext context, DemoModes modes, StreamingDemoOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var sample = Path.Combine(AppContext.BaseDirectory, "SampleData");
        var (trainFile, ridesFile) = (Path.Combine(sample, TrainFile), Path.Combine(sample, RidesFile));
        if (!File.Exists(trainFile) || !File.Exists(ridesFile))
        {
            throw new CliException($"The bundled TLC sample is missing from '{sample}'; reinstall or rebuild the tool.");
        }

        var work = Directory.CreateTempSubdirectory("streampredict-demo-");
        try
        {
            var runId = Guid.NewGuid().ToString("N");
            var model = Path.Combine(work.FullName, "model.json");
            var training = TrainCommand.Train(context, new FileInfo(trainFile), new FileInfo(ridesFile), new FileInfo(model), "duration-linear", runId);
            context.Info($"demo: trained; RMSE train {training.TrainRmse:0.###}, validation {training.ValidationRmse:0.###} min");
            var rides = await SampleRides.ReadAsync(ridesFile, RidePrefix(runId), cancellationToken).ConfigureAwait(false);

            var streaming = modes.HasFlag(DemoModes.Streaming)
                ? await StreamingDemo.RunAsync(context, work.FullName, ridesFile, model, runId, options, cancellationToken).ConfigureAwait(false)
                : null;

            // The rides to compare: those the stream answered, else a few spread over the rides the stream would have sent.
            var compared = streaming is not null
                ? [.. streaming.Accounting.Samples.Select(prediction => rides.Number(prediction.RideId))]
                : SampleRides.Spread(options.Rides, PipelineAccounting.SampleCount);
            var names = DemoModeNames.Names(modes);
            var answers = new SameAnswers(names, [.. compared.Select(rides.RideId)]);
            foreach (var prediction in streaming?.Accounting.Samples ?? [])
            {
                answers.Add("streaming", prediction.RideId, prediction.Duration);
            }

            var batch = modes.HasFlag(DemoModes.Batch) ? await RunBatchAsync(context, work.FullName, ridesFile, model, rides, compared, answers, cancellationToken).ConfigureAwait(false) : null;
            var web = modes.HasFlag(DemoModes.Web) ? await RunWebAsync(context, model, rides, compared, answers, cancellationToken).ConfigureAwait(false) : null;
            if (names.Count >= 2)
            {
                context.Info($"demo: the same rides in {string.Join(", ", names)} (each value printed in full, so equal text is an equal double):");
                context.Info(answers.Table());
            }
            else
            {
                context.Info($"demo: only {names[0]} ran; give --modes two or more modes to compare their predictions.");
            }

            return new DemoResult
            {
                Modes = modes,
                Training = training,
                Model = streaming?.Push.Location ?? model,
                Streaming = streaming,
                Batch = batch,
                Web = web,
                Comparison = names.Count >= 2 ? answers : null,
            };
        }
        finally
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A log file still open in a dying child; the temp folder is harmless.
            }
        }
    }

    /// <summary>Scores the whole sample month, then reads the compared rides back from the prediction file.</summary>
    private static async Task<Batch.ScoringResult> RunBatchAsync(CliContext context, string work, string ridesFile, string model, SampleRides rides,
        IReadOnlyList<long> compared, SameAnswers answers, CancellationToken cancellationToken)
    {
        var output = Path.Combine(work, "batch", "predictions.parquet");
        context.Info($"demo: batch: scoring {Path.GetFileName(ridesFile)} with the same model...");
        var result = await BatchDemo.ScoreAsync(context, ridesFile, model, output, cancellationToken).ConfigureAwait(false);
        var batchIds = compared.ToDictionary(n => rides.BatchRideId(n), rides.RideId, StringComparer.Ordinal);
        var found = await BatchDemo.ReadPredictionsAsync(result.Output, batchIds.Keys.ToHashSet(StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
        foreach (var (batchId, duration) in found)
        {
            answers.Add("batch", batchIds[batchId], duration);
        }

        context.Info($"demo: batch: {result.RowsIn} rows in = {result.Scored} scored + {result.Filtered} filtered + {result.Rejected} rejected → {result.Output}");
        return result;
    }

    /// <summary>Starts the web service on a free loopback port, POSTs each compared ride to /predict, stops it.</summary>
    private static async Task<WebRun> RunWebAsync(CliContext context, string model, SampleRides rides, IReadOnlyList<long> compared,
        SameAnswers answers, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        Uri url;
        var web = await WebDemo.StartAsync(context, model, cancellationToken).ConfigureAwait(false);
        await using (web.ConfigureAwait(false))
        {
            url = web.PredictUrl;
            context.Info($"demo: web: the service is up; POST {url} for {compared.Count} rides...");
            foreach (var n in compared)
            {
                var ride = rides.Event(n);
                answers.Add("web", ride.RideId, await web.PredictAsync(ride, cancellationToken).ConfigureAwait(false));
            }
        }

        context.Info("demo: web: stopped");
        return new WebRun(url, compared.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
