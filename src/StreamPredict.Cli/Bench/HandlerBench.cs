using System.Buffers;
using System.Diagnostics;
using StreamPredict.Aws.Lambda.Context;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.Function;
using StreamPredict.Model;

namespace StreamPredict.Cli.Bench;

/// <summary>
/// The function's hot path in this process with the dry run (TEST_RUN): decode → parse → predict → output event →
/// response, no network. Records/s is the median of several timed rounds after warm-up; allocation is per record.
/// </summary>
internal static class HandlerBench
{
    /// <param name="MedianRecordsPerCpuSecond">Records per second of this process' CPU time: what one core achieves, even when other work
    /// shares the machine (wall-clock figures on a loaded 2-core box mostly measure the neighbours).</param>
    public sealed record Result(int Records, int Rounds, int InvocationsPerRound, double MedianRecordsPerSecond, double MinRecordsPerSecond,
        double MaxRecordsPerSecond, double MedianRecordsPerCpuSecond, double BytesAllocatedPerRecord, double PeakRssMegabytes, int Predictions)
    {
        public Summary ToSummary(string model) => new Summary()
            .Add("model", model)
            .Add("records", Records)
            .Add("rounds", Rounds)
            .Add("invocations_per_round", InvocationsPerRound)
            .Add("records_per_second_median", Math.Round(MedianRecordsPerSecond))
            .Add("records_per_second_min", Math.Round(MinRecordsPerSecond))
            .Add("records_per_second_max", Math.Round(MaxRecordsPerSecond))
            .Add("records_per_cpu_second_median", Math.Round(MedianRecordsPerCpuSecond))
            .Add("bytes_allocated_per_record", Math.Round(BytesAllocatedPerRecord, 1))
            .Add("peak_rss_mb", Math.Round(PeakRssMegabytes, 1))
            .Add("predictions", Predictions);
    }

    public static Result Run(CompiledModel model, int records, int rounds)
    {
        ArgumentNullException.ThrowIfNull(model);
        var payload = BenchEvents.Event(BenchEvents.Rides(records));
        using var handler = new DryRunHandler(model);
        var response = new ArrayBufferWriter<byte>(records * 400);
        var context = new LambdaContext("bench", DateTimeOffset.UtcNow.AddYears(1), "arn:aws:lambda:us-east-1:000000000000:function:bench", null);

        // Enough invocations per round for ~0.2 s of work on a small batch, at least one on a big one.
        var invocations = Math.Max(1, 200_000 / Math.Max(1, records));

        // At least 50 invocations: the per-invocation methods must be called past the tiering threshold (30) and re-jitted.
        for (var i = 0; i < Math.Max(50, invocations); i++)
        {
            Invoke(handler, payload, context, response);
        }

        var predictions = CountPredictions(response.WrittenSpan);
        var samples = new List<double>(rounds);
        var cpuSamples = new List<double>(rounds);
        long allocated = 0;
        using var self = Process.GetCurrentProcess();
        for (var round = 0; round < rounds; round++)
        {
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            self.Refresh();
            var cpuBefore = self.TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < invocations; i++)
            {
                Invoke(handler, payload, context, response);
            }

            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            self.Refresh();
            var cpuSeconds = (self.TotalProcessorTime - cpuBefore).TotalSeconds;
            allocated += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            samples.Add((double)records * invocations / seconds);
            cpuSamples.Add((double)records * invocations / Math.Max(cpuSeconds, 1e-6));
        }

        return new Result(records, rounds, invocations, Percentiles.Median(samples), samples.Min(), samples.Max(), Percentiles.Median(cpuSamples),
            (double)allocated / ((long)records * invocations * rounds), PeakRss.OfCurrentProcessMegabytes(), predictions);
    }

    private static void Invoke(DryRunHandler handler, byte[] payload, LambdaContext context, ArrayBufferWriter<byte> response)
    {
        response.ResetWrittenCount();
        var pending = handler.HandleAsync(payload, context, response, CancellationToken.None);
        if (!pending.IsCompletedSuccessfully)
        {
            // The dry run never awaits anything; if it ever does, this bench would time the thread pool instead.
            throw new CliException("the dry-run handler did not complete synchronously; bench handler measures the synchronous hot path");
        }
    }

    /// <summary>Counts the entries of the dry run's "predictions" array: a sanity check that the bench measured real work.</summary>
    private static int CountPredictions(ReadOnlySpan<byte> response)
    {
        var reader = new System.Text.Json.Utf8JsonReader(response);
        var count = 0;
        while (reader.Read())
        {
            if (reader.CurrentDepth == 2 && reader.TokenType == System.Text.Json.JsonTokenType.StartObject)
            {
                count++;
            }
        }

        return count;
    }
}
