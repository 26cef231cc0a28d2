using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Cli.Commands;
using StreamPredict.LocalLambda.EventSourceMapping;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.Cli.Producing;
using StreamPredict.Serving.Rides;
using StreamPredict.Serving.Models;
using StreamPredict.Serving.Streaming;

namespace StreamPredict.Cli.Bench;

/// <summary>
/// `bench e2e`: rides produced to an input stream while the local event source mapping drives the real function
/// process, which publishes to an output stream through a counting relay. Latency is per ride, from the input
/// record's arrival in Kinesis to its prediction's arrival (both Kinesis' own timestamps).
/// </summary>
internal static class E2eCommand
{
    public static Command Create(CliContext context)
    {
        var records = new Option<int>("--records") { Description = "Rides to send (1..1000000).", DefaultValueFactory = _ => 10_000 };
        var batchSize = new Option<int>("--batch-size") { Description = "Records per invocation (event source mapping BatchSize).", DefaultValueFactory = _ => 1_000 };
        var model = new Option<FileInfo?>("--model") { Description = "The model to serve (default: a linear model trained on the bundled sample)." };
        var json = CommandActions.JsonOption();
        var command = new Command("e2e", "End to end through Kinesis: records/s, PutRecords calls, p50/p99 latency from produce to prediction.")
        {
            records, batchSize, model, json,
        };
        CommandActions.Set(command, context, async (parse, cancellationToken) =>
        {
            var count = parse.GetValue(records);
            if (count is < 1 or > 1_000_000)
            {
                throw new CliException($"--records must be 1..1000000, got {count}.");
            }

            var rides = BenchEvents.Rides(count, TlcRideSource.NewPrefix());
            var modelBytes = BenchEnvironment.ModelBytes(parse.GetValue(model));
            var environment = await BenchEnvironment.StartAsync(context, "bench e2e", cancellationToken).ConfigureAwait(false);
            await using (environment.ConfigureAwait(false))
            {
                var summary = await RunAsync(environment, rides, parse.GetValue(batchSize), modelBytes, cancellationToken).ConfigureAwait(false);
                context.WriteSummary(summary, parse.GetValue(json));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<Summary> RunAsync(BenchEnvironment environment, IReadOnlyList<RideEvent> rides, int batchSize, byte[] model, CancellationToken cancellationToken)
    {
        var input = await environment.CreateStreamAsync("bench-in", cancellationToken).ConfigureAwait(false);
        var output = await environment.CreateStreamAsync("bench-out", cancellationToken).ConfigureAwait(false);
        var variables = await environment.PutModelAsync(model, cancellationToken).ConfigureAwait(false);
        var proxy = CountingKinesisProxy.Start(environment.Aws.KinesisEndpoint);
        await using var proxyScope = proxy.ConfigureAwait(false);
        variables["AWS_ENDPOINT_URL_KINESIS"] = proxy.Endpoint.ToString();
        variables[StreamingVariables.PredictionsStream] = output;
        variables[StreamingVariables.TestRun] = "False";
        var functionLog = Path.Combine(Path.GetTempPath(), $"streampredict-e2e-{Guid.NewGuid():N}.log");
        try
        {
            using var kinesis = new KinesisClient(environment.Aws);
            var options = new RunOptions
            {
                Stream = input,
                BatchSize = batchSize,
                BatchingWindow = TimeSpan.FromMilliseconds(200),
                MaxRecords = rides.Count,
                UntilIdle = TimeSpan.FromSeconds(60),
            };
            var started = Stopwatch.GetTimestamp();
            var produce = new RideEventProducer(kinesis, input).ProduceAsync(rides, cancellationToken: cancellationToken);
            var run = RunCommand.RunAsync(environment.Context, options, variables, 512, functionLog, cancellationToken);
            var produced = await produce.ConfigureAwait(false);
            var produceSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var ran = await run.ConfigureAwait(false);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

            var latencies = await OutputLatenciesAsync(kinesis, output, rides.Count, cancellationToken).ConfigureAwait(false);
            var (invocations, expectedCalls, retried, publishMs) = ReadMetrics(functionLog);
            return new Summary()
                .Add("records", rides.Count)
                .Add("batch_size", batchSize)
                .Add("seconds", Math.Round(seconds, 3))
                .Add("records_per_second", Math.Round(rides.Count / seconds))
                .Add("produce_seconds", Math.Round(produceSeconds, 3))
                .Add("produce_put_records_calls", produced.PutRecordsCalls)
                .Add("invocations", invocations)
                .Add("function_put_records_calls", proxy.Calls("PutRecords"))
                .Add("function_put_records_calls_expected", expectedCalls)
                .Add("retried_entries", retried)
                .Add("function_publish_seconds", Math.Round(publishMs / 1000, 3))
                .Add("predictions_read", latencies.Count)
                .Add("latency_ms_p50", latencies.Count > 0 ? Percentiles.Median(latencies) : null)
                .Add("latency_ms_p99", latencies.Count > 0 ? Percentiles.Of(latencies, 99) : null)
                .Add("run", ran.ToSummary());
        }
        finally
        {
            File.Delete(functionLog);
        }
    }

    /// <summary>Per prediction on the output stream: its arrival minus the source record's arrival, in ms.</summary>
    private static async Task<List<double>> OutputLatenciesAsync(KinesisClient kinesis, string stream, int expected, CancellationToken cancellationToken)
    {
        var latencies = new List<double>(expected);
        var shards = await kinesis.ListShardsAsync(stream, cancellationToken).ConfigureAwait(false);
        foreach (var shard in shards)
        {
            var iterator = await kinesis.GetShardIteratorAsync(stream, shard.ShardId, ShardIteratorType.TrimHorizon, cancellationToken).ConfigureAwait(false);
            while (iterator is not null)
            {
                var page = await kinesis.GetRecordsAsync(iterator, cancellationToken, 10_000).ConfigureAwait(false);
                foreach (var record in page.Records)
                {
                    using var document = JsonDocument.Parse(record.Data);
                    var source = document.RootElement.GetProperty("source_arrival_timestamp").GetDouble();
                    latencies.Add((record.ApproximateArrivalTimestamp.ToUnixTimeMilliseconds() / 1000.0 - source) * 1000);
                }

                iterator = page.Records.Count == 0 || page.MillisBehindLatest == 0 ? null : page.NextShardIterator;
            }
        }

        return latencies;
    }

    /// <summary>From the function's EMF lines: invocations, Σ⌈predictions/500⌉ (the PutRecords calls owed when nothing is throttled), entries retried, time spent publishing.</summary>
    private static (int Invocations, long ExpectedCalls, long Retried, double PublishMs) ReadMetrics(string functionLog)
    {
        int invocations = 0;
        long expected = 0, retried = 0;
        double publishMs = 0;
        foreach (var line in File.Exists(functionLog) ? File.ReadLines(functionLog) : [])
        {
            if (!FunctionMetricsLine.Is(line))
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var predictions = document.RootElement.GetProperty("Predictions").GetInt64();
            invocations++;
            expected += (predictions + PutRecordsLimits.MaxEntriesPerCall - 1) / PutRecordsLimits.MaxEntriesPerCall;
            retried += document.RootElement.GetProperty("Retried").GetInt64();
            publishMs += document.RootElement.GetProperty("PublishMs").GetDouble();
        }

        return (invocations, expected, retried, publishMs);
    }
}
