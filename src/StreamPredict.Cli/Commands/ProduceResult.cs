using StreamPredict.Cli.Infrastructure;

namespace StreamPredict.Cli.Commands;

/// <summary>What `produce` sent; <see cref="ToSummary"/> is what the verb prints.</summary>
internal sealed record ProduceResult
{
    public required string Stream { get; init; }

    public long Sent { get; init; }

    /// <summary>KPL aggregated records instead of one Kinesis record per ride.</summary>
    public bool Aggregated { get; init; }

    public long KinesisRecords { get; init; }

    public long PutRecordsCalls { get; init; }

    public long ResentAfterFailure { get; init; }

    public string? FirstRideId { get; init; }

    public string? LastRideId { get; init; }

    public double Seconds { get; init; }

    public double RecordsPerSecond { get; init; }

    public Summary ToSummary() => new Summary()
        .Add("stream", Stream)
        .Add("sent", Sent)
        .Add("aggregated", Aggregated)
        .Add("kinesis_records", KinesisRecords)
        .Add("put_records_calls", PutRecordsCalls)
        .Add("resent_after_failure", ResentAfterFailure)
        .Add("first_ride_id", FirstRideId)
        .Add("last_ride_id", LastRideId)
        .Add("seconds", Seconds)
        .Add("records_per_second", RecordsPerSecond);
}
