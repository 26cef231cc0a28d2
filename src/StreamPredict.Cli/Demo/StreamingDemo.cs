using System.Diagnostics;
using System.Text.Json;
using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Aws.S3;
using StreamPredict.Cli.Commands;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.Cli.Tailing;
using StreamPredict.LocalLambda.Emulators;
using StreamPredict.LocalLambda.EventSourceMapping;
using StreamPredict.Serving.Models;
using StreamPredict.Serving.Streaming;

namespace StreamPredict.Cli.Demo;

/// <summary>What the demo asks of the streaming mode.</summary>
internal sealed record StreamingDemoOptions(int Rides, int Poison, int BatchSize, int ShardCount, double? Rate);

/// <summary>The streaming mode's part of the demo: the model pushed, every record accounted for.</summary>
internal sealed record StreamingResult(PushResult Push, PipelineAccounting Accounting, Summary Details, double RunSeconds);

/// <summary>
/// The streaming mode in the demo: emulators → streams and bucket → push → produce ∥ run → tail → emulators stopped.
/// The emulators live only as long as this step, so the other modes never need them.
/// </summary>
internal static class StreamingDemo
{
    public const string InputStream = "ride_events";
    public const string PredictionsStream = "ride_predictions";
    public const string RejectionsStream = "ride_rejections";
    public const string Bucket = "streampredict-models";

    public static async Task<StreamingResult> RunAsync(CliContext context, string work, string rides, string model, string runId,
        StreamingDemoOptions options, CancellationToken cancellationToken)
    {
        EmulatorSession? emulators = null;
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

            endpoints[StreamingVariables.PredictionsStream] = PredictionsStream;
            endpoints[StreamingVariables.RejectionsStream] = RejectionsStream;
            endpoints[ModelLocation.BucketVariable] = Bucket;
            endpoints[ModelLocation.ExperimentIdVariable] = ModelLocation.DefaultExperimentId;
            endpoints[ModelLocation.RunIdVariable] = runId;
            var streaming = new CliContext(context.Out, context.Error, endpoints);
            return await RunPipelineAsync(streaming, work, rides, model, runId, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (emulators is not null)
            {
                await emulators.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<StreamingResult> RunPipelineAsync(CliContext context, string work, string rides, string model, string runId,
        StreamingDemoOptions options, CancellationToken cancellationToken)
    {
        var aws = AwsEnvironment.FromEnvironment(context.GetVariable);
        using var kinesis = new KinesisClient(aws);
        context.Info($"demo: creating streams {InputStream} ({options.ShardCount} shards), {PredictionsStream}, {RejectionsStream} and bucket {Bucket}");
        await CreateStreamAsync(kinesis, InputStream, options.ShardCount, cancellationToken).ConfigureAwait(false);
        await CreateStreamAsync(kinesis, PredictionsStream, options.ShardCount, cancellationToken).ConfigureAwait(false);
        await CreateStreamAsync(kinesis, RejectionsStream, 1, cancellationToken).ConfigureAwait(false);
        using (var store = new S3ObjectStore(aws))
        {
            await store.EnsureBucketAsync(Bucket, cancellationToken).ConfigureAwait(false);
        }

        var push = await ModelCommand.PushAsync(context, model, Bucket, runId, ModelLocation.DefaultExperimentId, cancellationToken).ConfigureAwait(false);
        context.Info($"demo: pushed {push.Location}");

        // The mapping runs while the backend produces, as in production; it stops once every record is done.
        var failureFile = Path.Combine(work, "failures.jsonl");
        var functionLog = Path.Combine(work, "function.log");
        var runOptions = new RunOptions
        {
            Stream = InputStream,
            BatchSize = options.BatchSize,
            BatchingWindow = TimeSpan.FromMilliseconds(500),
            StartingPosition = ShardIteratorType.TrimHorizon,
            Bisect = true,
            CheckpointPath = Path.Combine(work, "checkpoint.json"),
            FailurePath = failureFile,
            MaxRecords = options.Rides + options.Poison,
            UntilIdle = TimeSpan.FromSeconds(60),
        };
        var started = Stopwatch.GetTimestamp();
        using var runCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var quiet = new CliContext(context.Out, context.Error, context.Overrides) { ProgressDisabled = true };
        var run = RunCommand.RunAsync(quiet, runOptions, context.ChildEnvironment(), 512, functionLog, runCancel.Token);
        ProduceResult produced;
        try
        {
            produced = await ProduceCommand.ProduceAsync(context, InputStream, new FileInfo(rides), options.Rate, options.Rides,
                DemoCommand.RidePrefix(runId), cancellationToken).ConfigureAwait(false);
            await SendPoisonAsync(kinesis, runId[..8], options.Poison, cancellationToken).ConfigureAwait(false);
            context.Info($"demo: produced {options.Rides} rides{(options.Poison > 0 ? $" and {options.Poison} malformed events" : "")}; waiting for the function...");
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

        foreach (var prediction in accounting.Samples.Take(3))
        {
            context.Info($"prediction: {prediction.Json}");
        }

        var details = accounting.Report()
            .Add("rides", (long)options.Rides)
            .Add("malformed_sent", (long)options.Poison)
            .Add("put_records_calls", produced.PutRecordsCalls)
            .Add("invocations", ran.Invocations)
            .Add("function_errors", ran.FunctionErrors)
            .Add("produce_rate", options.Rate)
            .Add("batch_size", (long)options.BatchSize)
            .Add("input_shards", (long)options.ShardCount)
            .Add("run_seconds", runSeconds)
            .Add("run_records_per_second", runSeconds > 0 ? (options.Rides + options.Poison) / runSeconds : null);
        return new StreamingResult(push, accounting, details, runSeconds);
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
