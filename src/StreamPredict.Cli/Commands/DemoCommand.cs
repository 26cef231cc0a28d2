using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Aws.S3;
using StreamPredict.Cli.Demo;
using StreamPredict.LocalLambda.Emulators;
using StreamPredict.LocalLambda.EventSourceMapping;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.Cli.Producing;
using StreamPredict.Serving.Rides;
using StreamPredict.Cli.Tailing;
using StreamPredict.Serving.Models;
using StreamPredict.Serving.Streaming;

namespace StreamPredict.Cli.Commands;

/// <summary>`demo`: emulators → streams and bucket → train → push → produce ∥ run → tail → summary → emulators stopped.</summary>
internal static class DemoCommand
{
    public const string InputStream = "ride_events";
    public const string PredictionsStream = "ride_predictions";
    public const string RejectionsStream = "ride_rejections";
    public const string Bucket = "streampredict-models";
    private const string TrainFile = "green_tripdata_2021-01.train.csv.gz";
    private const string RidesFile = "green_tripdata_2021-02.rides.csv.gz";

    public static Command Create(CliContext context)
    {
        var rides = new Option<int>("--rides") { Description = "How many rides to send.", DefaultValueFactory = _ => 10_000 };
        rides.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--rides must be at least 1.");
            }
        });
        var poison = new Option<int>("--poison") { Description = "Also send this many malformed events, to show the dead-letter path.", DefaultValueFactory = _ => 0 };
        var batchSize = new Option<int>("--batch-size") { Description = "The event source mapping's batch size.", DefaultValueFactory = _ => 100 };
        var shards = new Option<int>("--shards") { Description = "Shards of the input stream.", DefaultValueFactory = _ => 2 };
        var rate = new Option<double?>("--rate") { Description = "Produce at this many rides per second (default: as fast as Kinesis takes them)." };
        rate.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is <= 0 or double.NaN)
            {
                result.AddError("--rate must be a positive number of records per second.");
            }
        });
        var json = CommandActions.JsonOption();
        var command = new Command("demo", "Everything in one go on local emulators: train, push, produce, run the function, tail, summarise.")
        {
            rides, poison, batchSize, shards, rate, json,
        };
        CommandActions.Set(command, context, async (parse, cancellationToken) =>
        {
            var summary = await RunAsync(context, parse.GetValue(rides), Math.Max(0, parse.GetValue(poison)), parse.GetValue(batchSize),
                Math.Max(1, parse.GetValue(shards)), parse.GetValue(rate), cancellationToken).ConfigureAwait(false);
            context.WriteSummary(summary, parse.GetValue(json));
            return summary.Items.First(item => item.Key == "lost").Value is 0L ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    public static async Task<Summary> RunAsync(CliContext context, int rides, int poison, int batchSize, int shardCount, double? rate, CancellationToken cancellationToken)
    {
        var sample = Path.Combine(AppContext.BaseDirectory, "SampleData");
        if (!File.Exists(Path.Combine(sample, TrainFile)) || !File.Exists(Path.Combine(sample, RidesFile)))
        {
            throw new CliException($"The bundled TLC sample is missing from '{sample}'; reinstall or rebuild the tool.");
        }

        EmulatorSession? emulators = null;
        var work = Directory.CreateTempSubdirectory("streampredict-demo-");
        try
        {
            var endpoints = new Dictionary<string, string>(context.Overrides, StringComparer.Ordinal);
            if (context.GetVariable("AWS_ENDPOINT_URL") is not null || context.GetVariable("AWS_ENDPOINT_URL_KINESIS") is not null)
            {
                context.Info($"demo: using the endpoints already configured ({context.GetVariable("AWS_ENDPOINT_URL") ?? context.GetVariable("AWS_ENDPOINT_URL_KINESIS")}), not starting emulators");
            }
            else
            {
                var root = RepositoryLocator.Require("streampredict demo");
                context.Info("demo: starting the emulators (infra/emulators/start.sh)...");
                emulators = await EmulatorSession.StartAsync(root, context.Info, cancellationToken).ConfigureAwait(false);
                foreach (var (name, value) in emulators.Variables)
                {
                    endpoints[name] = value;
                }
            }

            var runId = Guid.NewGuid().ToString("N");
            endpoints[StreamingVariables.PredictionsStream] = PredictionsStream;
            endpoints[StreamingVariables.RejectionsStream] = RejectionsStream;
            endpoints[ModelLocation.BucketVariable] = Bucket;
            endpoints[ModelLocation.ExperimentIdVariable] = ModelLocation.DefaultExperimentId;
            endpoints[ModelLocation.RunIdVariable] = runId;
            var demo = new CliContext(context.Out, context.Error, endpoints);
            return await RunPipelineAsync(demo, work.FullName, sample, runId, rides, poison, batchSize, shardCount, rate, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (emulators is not null)
            {
                await emulators.DisposeAsync().ConfigureAwait(false);
            }

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

    private static async Task<Summary> RunPipelineAsync(CliContext context, string work, string sample, string runId, int rides, int poison,
        int batchSize, int shardCount, double? rate, CancellationToken cancellationToken)
    {
        var aws = AwsEnvironment.FromEnvironment(context.GetVariable);
        using var kinesis = new KinesisClient(aws);
        context.Info($"demo: creating streams {InputStream} ({shardCount} shards), {PredictionsStream}, {RejectionsStream} and bucket {Bucket}");
        await CreateStreamAsync(kinesis, InputStream, shardCount, cancellationToken).ConfigureAwait(false);
        await CreateStreamAsync(kinesis, PredictionsStream, shardCount, cancellationToken).ConfigureAwait(false);
        await CreateStreamAsync(kinesis, RejectionsStream, 1, cancellationToken).ConfigureAwait(false);
        using (var store = new S3ObjectStore(aws))
        {
            await store.EnsureBucketAsync(Bucket, cancellationToken).ConfigureAwait(false);
        }

        var model = new FileInfo(Path.Combine(work, "model.json"));
        var training = TrainCommand.Train(context, new FileInfo(Path.Combine(sample, TrainFile)), new FileInfo(Path.Combine(sample, RidesFile)),
            model, "duration-linear", runId);
        context.Info($"demo: trained; RMSE train {training.TrainRmse:0.###}, validation {training.ValidationRmse:0.###} min");
        var push = await ModelCommand.PushAsync(context, model.FullName, Bucket, runId, ModelLocation.DefaultExperimentId, cancellationToken).ConfigureAwait(false);
        context.Info($"demo: pushed {push.Location}");

        // The mapping runs while the backend produces, as in production; it stops once every record is done.
        var failureFile = Path.Combine(work, "failures.jsonl");
        var functionLog = Path.Combine(work, "function.log");
        var options = new RunOptions
        {
            Stream = InputStream,
            BatchSize = batchSize,
            BatchingWindow = TimeSpan.FromMilliseconds(500),
            StartingPosition = ShardIteratorType.TrimHorizon,
            Bisect = true,
            CheckpointPath = Path.Combine(work, "checkpoint.json"),
            FailurePath = failureFile,
            MaxRecords = rides + poison,
            UntilIdle = TimeSpan.FromSeconds(60),
        };
        var started = Stopwatch.GetTimestamp();
        using var runCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var quiet = new CliContext(context.Out, context.Error, context.Overrides) { ProgressDisabled = true };
        var run = RunCommand.RunAsync(quiet, options, context.ChildEnvironment(), 512, functionLog, runCancel.Token);
        ProduceResult produced;
        try
        {
            produced = await ProduceCommand.ProduceAsync(context, InputStream, new FileInfo(Path.Combine(sample, RidesFile)), rate, rides,
                "demo-" + runId[..8], cancellationToken).ConfigureAwait(false);
            await SendPoisonAsync(kinesis, runId[..8], poison, cancellationToken).ConfigureAwait(false);
            context.Info($"demo: produced {rides} rides{(poison > 0 ? $" and {poison} malformed events" : "")}; waiting for the function...");
        }
        catch
        {
            await runCancel.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(run).ConfigureAwait(false);
            throw;
        }

        var ran = await run.ConfigureAwait(false);
        var runSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        context.Info("demo: tailing the input, predictions and dead letters to account for every record...");
        var accounting = new PipelineAccounting();
        await new StreamTailer(kinesis, InputStream).ReadAsync(false, false, record => { accounting.AddInput(record); return true; }, null, cancellationToken).ConfigureAwait(false);
        await new StreamTailer(kinesis, PredictionsStream).ReadAsync(false, false, record => { accounting.AddPrediction(record); return true; }, null, cancellationToken).ConfigureAwait(false);
        await new StreamTailer(kinesis, RejectionsStream).ReadAsync(false, false, record => { accounting.AddDeadLetter(record); return true; }, null, cancellationToken).ConfigureAwait(false);
        if (File.Exists(failureFile))
        {
            foreach (var line in await File.ReadAllLinesAsync(failureFile, cancellationToken).ConfigureAwait(false))
            {
                using var document = JsonDocument.Parse(line);
                accounting.AddFailure(document.RootElement.GetProperty("sequenceNumber").GetString()!);
            }
        }

        foreach (var prediction in accounting.SamplePredictions)
        {
            context.Info($"prediction: {prediction}");
        }

        var report = accounting.Report();
        report.Add("rides", (long)rides)
            .Add("malformed_sent", (long)poison)
            .Add("put_records_calls", produced.PutRecordsCalls)
            .Add("invocations", ran.Invocations)
            .Add("function_errors", ran.FunctionErrors)
            .Add("produce_rate", rate)
            .Add("batch_size", (long)batchSize)
            .Add("input_shards", (long)shardCount)
            .Add("run_seconds", runSeconds)
            .Add("run_records_per_second", runSeconds > 0 ? (rides + poison) / runSeconds : null)
            .Add("train_rmse", training.TrainRmse)
            .Add("validation_rmse", training.ValidationRmse)
            .Add("model", push.Location);
        return report;
    }

    private static async Task CreateStreamAsync(KinesisClient kinesis, string name, int shards, CancellationToken cancellationToken)
    {
        try
        {
            await kinesis.CreateStreamAsync(name, shards, cancellationToken).ConfigureAwait(false);
        }
        catch (KinesisException exception) when (exception.ErrorCode == "ResourceInUseException")
        {
            // Already there (e.g. a LocalStack that the init script prepared).
        }

        await kinesis.WaitForStreamActiveAsync(name, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
    }

    private static async Task SendPoisonAsync(KinesisClient kinesis, string prefix, int count, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return;
        }

        var publisher = new KinesisBatchPublisher(kinesis, InputStream);
        for (var n = 0; n < count; n++)
        {
            var (data, key) = PoisonEvents.Create(prefix, n);
            await publisher.AddAsync(data, key, cancellationToken).ConfigureAwait(false);
        }

        await publisher.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
