namespace StreamPredict.Batch;

/// <summary>
/// What a run did. Conservation: <see cref="RowsIn"/> = <see cref="Scored"/> + <see cref="Filtered"/> + <see cref="Rejected"/>.
/// The stage times are each stage's own busy time; the stages overlap (decode, score and encode run at once), so they can
/// add up to more than <see cref="Seconds"/>.
/// </summary>
public sealed record ScoringResult
{
    public required string Input { get; init; }

    public required string Output { get; init; }

    public required string RejectedOutput { get; init; }

    public required string TaxiType { get; init; }

    public required ScoringMonth Month { get; init; }

    public required string ModelVersion { get; init; }

    public long RowsIn { get; init; }

    public long Scored { get; init; }

    public long Filtered { get; init; }

    public long Rejected { get; init; }

    /// <summary>Rejected rows per reason code.</summary>
    public required IReadOnlyDictionary<string, long> RejectedByReason { get; init; }

    public double Seconds { get; init; }

    public double RowsPerSecond => Seconds > 0 ? RowsIn / Seconds : 0;

    public double DownloadSeconds { get; init; }

    public double DecodeSeconds { get; init; }

    public double FeaturesSeconds { get; init; }

    public double PredictSeconds { get; init; }

    public double EncodeSeconds { get; init; }

    public double PublishSeconds { get; init; }

    public bool Conserved => RowsIn == Scored + Filtered + Rejected;
}
