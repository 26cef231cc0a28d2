using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.LocalLambda.Runtime;
using StreamPredict.Serving.Models;
using StreamPredict.Serving.Streaming;

namespace StreamPredict.Cli.Bench;

/// <summary>
/// `bench publish`: the real function process publishing a batch to <see cref="PutRecordsStandIn"/>, which answers each
/// PutRecords after a fixed latency (a real round trip, without kinesis-local's own cost), once per PUBLISH_CONCURRENCY
/// given: the publish time, the invocation time, calls and calls in flight, and what that costs in Lambda GB-seconds.
/// </summary>
internal static class PublishBenchCommand
{
    /// <summary>The template's MemorySize: Lambda bills duration × this.</summary>
    private const int MemoryMb = 1024;

    public static Command Create(CliContext context)
    {
        var records = new Option<int>("--records") { Description = "Records per invocation (batch size), 1..100000.", DefaultValueFactory = _ => 10_000 };
        var latency = new Option<TimeSpan>("--latency")
        {
            Description = "The stand-in's time per PutRecords call, e.g. 30ms (tens of ms is what real Kinesis takes).",
            DefaultValueFactory = _ => TimeSpan.FromMilliseconds(30),
            CustomParser = DurationParser.Parse,
        };
        var concurrency = new Option<string>("--concurrency")
        {
            Description = "PUBLISH_CONCURRENCY values to compare, comma-separated; 1 is publishing one call after another.",
            DefaultValueFactory = _ => "1,8",
        };
        var rounds = new Option<int>("--rounds") { Description = "Timed invocations per value, after 3 warm-up ones; medians are reported.", DefaultValueFactory = _ => 10 };
        var model = new Option<FileInfo?>("--model") { Description = "The model to serve (default: a linear model trained on the bundled sample)." };
        var json = CommandActions.JsonOption();
        var command = new Command("publish", "Publishing a batch against a Kinesis stand-in with a fixed latency per call: wall time, calls in flight, GB-s per million predictions.")
        {
            records, latency, concurrency, rounds, model, json,
        };
        CommandActions.Set(command, context, async (parse, cancellationToken) =>
        {
            var (count, roundCount) = BenchCommand.RecordsAndRounds(parse, records, rounds);

            var values = ParseConcurrency(parse.GetValue(concurrency));
            var modelFile = Path.Combine(Path.GetTempPath(), $"streampredict-publish-{Guid.NewGuid():N}.model.json");
            await File.WriteAllBytesAsync(modelFile, BenchEnvironment.ModelBytes(parse.GetValue(model)), cancellationToken).ConfigureAwait(false);
            try
            {
                var payload = BenchEvents.Event(BenchEvents.Rides(count));
                var standIn = PutRecordsStandIn.Start(parse.GetValue(latency));
                await using (standIn.ConfigureAwait(false))
                {
                    var summary = new Summary().Add("records", count).Add("latency_ms", parse.GetValue(latency).TotalMilliseconds).Add("rounds", roundCount)
                        .Add("memory_mb", MemoryMb);
                    foreach (var value in values)
                    {
                        var variables = Variables(context, standIn, modelFile, value);
                        var result = await MeasureAsync(variables, standIn, payload, roundCount, cancellationToken).ConfigureAwait(false);
                        summary.Add(string.Create(CultureInfo.InvariantCulture, $"concurrency_{value}"), result.ToSummary(count));
                        context.Info(string.Create(CultureInfo.InvariantCulture,
                            $"PUBLISH_CONCURRENCY={value}: publish {result.PublishMs:F1} ms, invocation {result.InvocationMs:F1} ms (medians), {result.CallsPerInvocation:F1} calls, at most {result.MaxInFlight} in flight"));
                    }

                    context.WriteSummary(summary, parse.GetValue(json));
                }
            }
            finally
            {
                File.Delete(modelFile);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    internal static IReadOnlyList<int> ParseConcurrency(string? text)
    {
        var values = new List<int>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > StreamingVariables.MaxPublishConcurrency)
            {
                throw new CliException($"--concurrency: '{part}' is not a whole number from 1 to {StreamingVariables.MaxPublishConcurrency}.");
            }

            values.Add(value);
        }

        return values.Count > 0 ? values : throw new CliException("--concurrency needs at least one value, e.g. 1,8.");
    }

    private sealed record Result(double PublishMs, double PublishMsP90, double InvocationMs, double CallsPerInvocation, int MaxInFlight)
    {
        /// <summary>Lambda bills each invocation's duration × memory: (ms / 1000) × (MB / 1024) GB-s per invocation, 10⁶ / records invocations per million.</summary>
        public double GbSecondsPerMillion(int records) => InvocationMs / 1000 * (MemoryMb / 1024.0) * (1_000_000.0 / records);

        public Summary ToSummary(int records) => new Summary()
            .Add("publish_ms_median", Math.Round(PublishMs, 1))
            .Add("publish_ms_p90", Math.Round(PublishMsP90, 1))
            .Add("invocation_ms_median", Math.Round(InvocationMs, 1))
            .Add("put_records_calls_per_invocation", Math.Round(CallsPerInvocation, 2))
            .Add("max_calls_in_flight", MaxInFlight)
            .Add("gb_seconds_per_million_predictions", Math.Round(GbSecondsPerMillion(records), 2));
    }

    private static Dictionary<string, string> Variables(CliContext context, PutRecordsStandIn standIn, string modelFile, int concurrency)
    {
        var variables = context.ChildEnvironment();
        foreach (var name in StreamingVariables.FunctionVariableNames)
        {
            variables.Remove(name);
        }

        variables[ModelLocation.LocationVariable] = modelFile;
        variables[StreamingVariables.PredictionsStream] = "bench-publish";
        variables[StreamingVariables.PublishConcurrency] = concurrency.ToString(CultureInfo.InvariantCulture);
        variables["AWS_ENDPOINT_URL_KINESIS"] = standIn.Endpoint.ToString().TrimEnd('/');
        variables["AWS_REGION"] = "us-east-1";
        variables["AWS_ACCESS_KEY_ID"] = "BENCHSTANDIN";
        variables["AWS_SECRET_ACCESS_KEY"] = "bench-stand-in-checks-no-signature";
        variables.Remove("AWS_SESSION_TOKEN");
        return variables;
    }

    private static async Task<Result> MeasureAsync(Dictionary<string, string> variables, PutRecordsStandIn standIn, byte[] payload, int rounds, CancellationToken cancellationToken)
    {
        var publishMs = new ConcurrentQueue<double>();
        var host = await FunctionHost.StartAsync(variables, line => ReadPublishMs(line, publishMs), TimeSpan.FromSeconds(60), cancellationToken, MemoryMb).ConfigureAwait(false);
        await using (host.ConfigureAwait(false))
        {
            // Warm-up: the JIT's tiers, the connection pool's connections.
            for (var i = 0; i < 3; i++)
            {
                await InvokeAsync(host, payload, cancellationToken).ConfigureAwait(false);
            }

            await WaitForMetricsAsync(publishMs, 3).ConfigureAwait(false);
            publishMs.Clear();
            standIn.ResetCounts();
            var invocationMs = new List<double>();
            for (var i = 0; i < rounds; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await InvokeAsync(host, payload, cancellationToken).ConfigureAwait(false);
                invocationMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            await WaitForMetricsAsync(publishMs, rounds).ConfigureAwait(false);
            var published = publishMs.ToList();
            return new Result(Percentiles.Median(published), Percentiles.Of(published, 90), Percentiles.Median(invocationMs),
                standIn.Calls / (double)rounds, standIn.MaxInFlight);
        }
    }

    private static async Task InvokeAsync(FunctionHost host, byte[] payload, CancellationToken cancellationToken)
    {
        var result = await host.InvokeAsync(payload, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new CliException($"The function did not answer: {result.Describe()}");
        }

        using var response = JsonDocument.Parse(result.Response!);
        var failures = response.RootElement.GetProperty("batchItemFailures").GetArrayLength();
        if (failures > 0)
        {
            throw new CliException($"The function reported {failures} batchItemFailures against the stand-in, which fails nothing:{Environment.NewLine}{host.LastLines()}");
        }
    }

    /// <summary>The function's stdout is read asynchronously: its EMF line can trail the answer a little.</summary>
    private static async Task WaitForMetricsAsync(ConcurrentQueue<double> publishMs, int expected)
    {
        for (var waited = 0; publishMs.Count < expected && waited < 5_000; waited += 20)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }

        if (publishMs.Count < expected)
        {
            throw new CliException($"Expected {expected} metrics lines from the function, read {publishMs.Count}.");
        }
    }

    private static void ReadPublishMs(string line, ConcurrentQueue<double> publishMs)
    {
        if (FunctionMetricsLine.PublishMs(line) is { } ms)
        {
            publishMs.Enqueue(ms);
        }
    }
}
