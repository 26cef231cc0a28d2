using StreamPredict.Aws.S3;
using StreamPredict.Data.Tlc;
using StreamPredict.Model;

namespace StreamPredict.Batch;

/// <summary>One month's file to score.</summary>
public sealed record ScoringRequest
{
    public required DataLocation Input { get; init; }

    /// <summary>A local .parquet path, an s3://bucket/key, or a postgresql:// URL.</summary>
    public required string Output { get; init; }

    public required CompiledModel Model { get; init; }

    /// <summary>Written as model_version (the course writes its RUN_ID there); defaults to the model's version.</summary>
    public string? RunId { get; init; }

    /// <summary>The month the rows belong to (ride ids, and the PostgreSQL partition); default: the YYYY-MM in the input's name.</summary>
    public ScoringMonth? Month { get; init; }

    /// <summary>When set, a file of the other taxi type is refused.</summary>
    public TlcTaxiType? TaxiType { get; init; }

    public string ModelVersion => RunId ?? Model.Version;
}

/// <summary>What the job needs from its host.</summary>
public sealed record ScoringOptions
{
    /// <summary>Opens the S3 client, only when an input or output is on S3.</summary>
    public Func<S3ObjectStore>? OpenS3 { get; init; }

    /// <summary>Where S3 inputs are downloaded and S3 outputs are staged.</summary>
    public string TempFolder { get; init; } = Path.GetTempPath();

    /// <summary>Cores used for prediction.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Rows per output row group (and per unit of work); a larger input row group is cut into slices of this size.</summary>
    public int SliceRows { get; init; } = 1 << 16;

    /// <summary>Reports the input rows handled so far.</summary>
    public IProgress<long>? Progress { get; init; }

    /// <summary>Told the input's row count once the file is open (parquet knows it; CSV does not).</summary>
    public Action<long?>? RowCountKnown { get; init; }

    internal S3ObjectStore S3() => OpenS3?.Invoke() ?? throw new InvalidOperationException("An s3:// location was given, but no S3 client is configured.");
}
