using System.Globalization;
using StreamPredict.Batch;
using StreamPredict.Cli.Commands;
using StreamPredict.Cli.Infrastructure;

namespace StreamPredict.Cli.Demo;

/// <summary>The web mode's part of the demo: where it listened and how many rides it answered.</summary>
internal sealed record WebRun(Uri PredictUrl, int Rides, double Seconds);

/// <summary>What the demo did in each mode it ran; <see cref="ToSummary"/> is what it prints.</summary>
internal sealed record DemoResult
{
    public required DemoModes Modes { get; init; }

    public required TrainResult Training { get; init; }

    /// <summary>The model every mode used: its S3 location once pushed, else the local file.</summary>
    public required string Model { get; init; }

    public StreamingResult? Streaming { get; init; }

    public ScoringResult? Batch { get; init; }

    public WebRun? Web { get; init; }

    /// <summary>Null when fewer than two modes ran.</summary>
    public SameAnswers? Comparison { get; init; }

    /// <summary>No record lost, every batch row accounted for, and the modes agree.</summary>
    public bool Succeeded => (Streaming is null || Streaming.Accounting.Lost == 0) && (Batch is null || Batch.Conserved) && (Comparison is null || Comparison.Identical);

    public Summary ToSummary()
    {
        var summary = new Summary();
        foreach (var (name, value) in Streaming?.Details.Items ?? [])
        {
            summary.Add(name, value);
        }

        summary.Add("train_rmse", Training.TrainRmse)
            .Add("validation_rmse", Training.ValidationRmse)
            .Add("model", Model)
            .Add("modes", DemoModeNames.Names(Modes));
        if (Streaming is { Accounting: var stream })
        {
            summary.Add("streaming", new SummaryLine(
                Invariant($"{stream.RecordsIn} records in: {stream.PredictionsOut} predictions, {stream.DeadLetters} dead letters, {stream.FailedRecords} failed, {stream.Lost} lost"),
                new Summary().Add("records_in", stream.RecordsIn).Add("predictions_out", stream.PredictionsOut).Add("dead_letters", stream.DeadLetters)
                    .Add("failed_records", stream.FailedRecords).Add("lost", stream.Lost).Add("seconds", Streaming.RunSeconds)));
        }

        if (Batch is { } batch)
        {
            summary.Add("batch", new SummaryLine(
                Invariant($"{batch.RowsIn} rows in = {batch.Scored} scored + {batch.Filtered} filtered + {batch.Rejected} rejected, in {batch.Seconds:0.##} s (parquet in the demo's temp folder)"),
                new Summary().Add("rows_in", batch.RowsIn).Add("scored", batch.Scored).Add("filtered", batch.Filtered).Add("rejected", batch.Rejected)
                    .Add("conserved", batch.Conserved).Add("output", batch.Output).Add("seconds", batch.Seconds)));
        }

        if (Web is { } web)
        {
            summary.Add("web", new SummaryLine(
                Invariant($"{web.Rides} rides answered over HTTP by POST {web.PredictUrl}, in {web.Seconds:0.##} s (started, asked, stopped)"),
                new Summary().Add("url", web.PredictUrl.ToString()).Add("rides", (long)web.Rides).Add("seconds", web.Seconds)));
        }

        if (Comparison is { } comparison)
        {
            var modes = string.Join(" = ", comparison.Modes);
            summary.Add("same_prediction", new SummaryLine(
                comparison.Identical
                    ? Invariant($"yes, {comparison.RideIds.Count} of {comparison.RideIds.Count} rides: {modes} (exact doubles)")
                    : Invariant($"NO, {comparison.Disagreements().Count} of {comparison.RideIds.Count} rides differ between {string.Join(", ", comparison.Modes)}"),
                new Summary().Add("rides", (long)comparison.RideIds.Count).Add("modes", comparison.Modes).Add("identical", comparison.Identical)));
        }

        return summary;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
