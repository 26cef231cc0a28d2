using StreamPredict.Batch;
using StreamPredict.Cli.Infrastructure;

namespace StreamPredict.Cli.Scoring;

/// <summary>A run's result as the CLI prints it (text lines, or --json).</summary>
internal static class ScoreSummary
{
    public static Summary Of(ScoringResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var reasons = new Summary();
        foreach (var (code, count) in result.RejectedByReason)
        {
            reasons.Add(code, count);
        }

        return new Summary()
            .Add("input", result.Input)
            .Add("output", result.Output)
            .Add("rejected_output", result.RejectedOutput)
            .Add("taxi_type", result.TaxiType)
            .Add("month", result.Month.ToString())
            .Add("model_version", result.ModelVersion)
            .Add("rows_in", result.RowsIn)
            .Add("scored", result.Scored)
            .Add("filtered", result.Filtered)
            .Add("rejected", result.Rejected)
            .Add("rejected_by_reason", reasons)
            .Add("conserved", result.Conserved)
            .Add("seconds", result.Seconds)
            .Add("rows_per_second", result.RowsPerSecond)
            .Add("peak_rss_mb", Bench.PeakRss.OfCurrentProcessMegabytes())
            .Add("process_cpu_seconds", ProcessCpuSeconds())
            .Add("stage_seconds", new Summary()
                .Add("download", result.DownloadSeconds)
                .Add("decode", result.DecodeSeconds)
                .Add("features", result.FeaturesSeconds)
                .Add("predict", result.PredictSeconds)
                .Add("encode", result.EncodeSeconds)
                .Add("publish", result.PublishSeconds));
    }

    /// <summary>User + system CPU time of this whole process so far (start-up and JIT included), which machine load moves far less than wall time.</summary>
    private static double ProcessCpuSeconds()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }
}
