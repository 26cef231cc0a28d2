using StreamPredict.Cli.Infrastructure;

namespace StreamPredict.Cli.Commands;

/// <summary>What `run` (the local event source mapping in front of the function) did; <see cref="ToSummary"/> is what the verb prints.</summary>
internal sealed record RunResult
{
    public required string Stream { get; init; }

    /// <summary>"cancel", or the runner's stop reason.</summary>
    public required string StoppedBy { get; init; }

    public long RecordsDone { get; init; }

    public long RecordsRead { get; init; }

    public long RecordsReread { get; init; }

    public long Batches { get; init; }

    public long Invocations { get; init; }

    public long FunctionErrors { get; init; }

    public long BatchItemFailures { get; init; }

    public long Bisections { get; init; }

    public long FailedRecords { get; init; }

    public string? FailureFile { get; init; }

    public long KinesisErrorsRecovered { get; init; }

    public long FunctionRestarts { get; init; }

    public string? Checkpoint { get; init; }

    public double Seconds { get; init; }

    public double RecordsPerSecond => Seconds > 0 ? RecordsDone / Seconds : 0;

    public Summary ToSummary() => new Summary()
        .Add("stream", Stream)
        .Add("stopped_by", StoppedBy)
        .Add("records_done", RecordsDone)
        .Add("records_read", RecordsRead)
        .Add("records_reread", RecordsReread)
        .Add("batches", Batches)
        .Add("invocations", Invocations)
        .Add("function_errors", FunctionErrors)
        .Add("batch_item_failures", BatchItemFailures)
        .Add("bisections", Bisections)
        .Add("failed_records", FailedRecords)
        .Add("failure_file", FailureFile)
        .Add("kinesis_errors_recovered", KinesisErrorsRecovered)
        .Add("function_restarts", FunctionRestarts)
        .Add("checkpoint", Checkpoint)
        .Add("seconds", Seconds)
        .Add("records_per_second", RecordsPerSecond);
}
