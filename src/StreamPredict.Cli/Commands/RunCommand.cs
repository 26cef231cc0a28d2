using System.CommandLine;
using System.Diagnostics;
using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.Kinesis;
using StreamPredict.LocalLambda.EventSourceMapping;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.LocalLambda.Runtime;

namespace StreamPredict.Cli.Commands;

/// <summary>`run`: a local Kinesis event source mapping driving the real function process.</summary>
internal static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var stream = new Option<string>("--stream") { Description = "The input stream.", DefaultValueFactory = _ => "ride_events" };
        var batchSize = new Option<int>("--batch-size") { Description = "Records per invocation, 1..10000 (BatchSize).", DefaultValueFactory = _ => 100 };
        var window = new Option<TimeSpan>("--batching-window")
        {
            Description = "Gather records this long before invoking with a partial batch (MaximumBatchingWindowInSeconds), e.g. 1s, 500ms.",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(1),
            CustomParser = DurationParser.Parse,
        };
        var starting = new Option<string>("--starting-position")
        {
            Description = "Where shards without a checkpoint start: trim-horizon or latest.",
            DefaultValueFactory = _ => "trim-horizon",
        };
        starting.AcceptOnlyFromAmong("trim-horizon", "latest");
        var bisect = new Option<bool>("--bisect") { Description = "Split a batch in halves when the function fails on it (BisectBatchOnFunctionError)." };
        var maxRetries = new Option<int>("--max-retries") { Description = "Retries before records go to the failure file (MaximumRetryAttempts).", DefaultValueFactory = _ => 10 };
        var checkpoint = new Option<FileInfo?>("--checkpoint") { Description = "Per-shard checkpoint file: resumes after it, updated after each batch." };
        var failures = new Option<FileInfo?>("--failure-file") { Description = "JSON lines of records given up on (the OnFailure destination)." };
        var untilIdle = new Option<TimeSpan?>("--until-idle")
        {
            Description = "Stop once no records arrive for this long, e.g. 5s.",
            CustomParser = result => DurationParser.Parse(result),
        };
        var maxRecords = new Option<long?>("--max-records") { Description = "Stop once this many records are done." };
        var functionLog = new Option<FileInfo?>("--function-log") { Description = "Write the function's JSON log lines here (default: discarded)." };
        var json = CommandActions.JsonOption();
        var functionOptions = new FunctionOptions();
        var command = new Command("run", "Poll every shard of the input stream and invoke the function like Lambda's event source mapping.")
        {
            stream, batchSize, window, starting, bisect, maxRetries, checkpoint, failures, untilIdle, maxRecords, functionLog, json,
        };
        functionOptions.AddTo(command);
        CommandActions.Set(command, context, async (parse, cancellationToken) =>
        {
            var options = new RunOptions
            {
                Stream = parse.GetRequiredValue(stream),
                BatchSize = parse.GetValue(batchSize),
                BatchingWindow = parse.GetValue(window),
                StartingPosition = parse.GetValue(starting) == "latest" ? ShardIteratorType.Latest : ShardIteratorType.TrimHorizon,
                Bisect = parse.GetValue(bisect),
                MaxRetries = parse.GetValue(maxRetries),
                CheckpointPath = parse.GetValue(checkpoint)?.FullName,
                FailurePath = parse.GetValue(failures)?.FullName,
                UntilIdle = parse.GetValue(untilIdle),
                MaxRecords = parse.GetValue(maxRecords),
                FunctionTimeout = parse.GetValue(functionOptions.Timeout),
            };
            var ran = await RunAsync(context, options, functionOptions.Environment(context, parse), parse.GetValue(functionOptions.Memory),
                parse.GetValue(functionLog)?.FullName, cancellationToken).ConfigureAwait(false);
            context.WriteSummary(ran.ToSummary(), parse.GetValue(json));
            return ExitCodes.Success;
        });
        return command;
    }

    public static async Task<RunResult> RunAsync(CliContext context, RunOptions options, IReadOnlyDictionary<string, string> functionEnvironment,
        int memoryMb, string? functionLogPath, CancellationToken cancellationToken)
    {
        if (options.Validate() is { } problem)
        {
            throw new CliException(problem);
        }

        using var functionLog = functionLogPath is null ? null : new StreamWriter(functionLogPath, append: true) { AutoFlush = true };
        var logLock = new Lock();
        void FunctionLine(string line)
        {
            if (functionLog is not null)
            {
                lock (logLock)
                {
                    functionLog.WriteLine(line);
                }
            }
        }

        using var kinesis = new KinesisClient(AwsEnvironment.FromEnvironment(context.GetVariable));
        using var runner = new EventSourceMappingRunner(kinesis, options,
            async token => (ILocalFunction)await FunctionHost.StartAsync(functionEnvironment, FunctionLine, TimeSpan.FromSeconds(60), token, memoryMb).ConfigureAwait(false),
            line => context.Info(line));
        var started = Stopwatch.GetTimestamp();
        var cancelled = false;
        try
        {
            await Progress.RunAsync(context, $"run ← {options.Stream}", options.MaxRecords ?? 0, async progress =>
            {
                await runner.RunAsync(done => progress.Report(done), cancellationToken).ConfigureAwait(false);
                return 0;
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C: the checkpoint holds everything finished; report what was done, then exit as cancelled.
            cancelled = true;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var stats = runner.Stats;
        var result = new RunResult
        {
            Stream = options.Stream,
            StoppedBy = cancelled ? "cancel" : runner.StopReason,
            RecordsDone = stats.RecordsDone,
            RecordsRead = stats.RecordsRead,
            RecordsReread = stats.RecordsReread,
            Batches = stats.Batches,
            Invocations = stats.Delivery.Invocations,
            FunctionErrors = stats.Delivery.FunctionErrors,
            BatchItemFailures = stats.Delivery.ReportedItemFailures,
            Bisections = stats.Delivery.Bisections,
            FailedRecords = runner.Failures?.Count ?? 0,
            FailureFile = runner.Failures?.Path,
            KinesisErrorsRecovered = stats.KinesisErrors,
            FunctionRestarts = stats.FunctionRestarts,
            Checkpoint = runner.Checkpoint?.Path,
            Seconds = elapsed.TotalSeconds,
        };
        if (cancelled)
        {
            context.WriteSummary(result.ToSummary(), json: false);
            throw new OperationCanceledException(cancellationToken);
        }

        return result;
    }
}
