using StreamPredict.Cli.Infrastructure;

namespace StreamPredict.Cli.Commands;

/// <summary>What `model push` uploaded; <see cref="ToSummary"/> is what the verb prints.</summary>
internal sealed record PushResult
{
    /// <summary>s3://bucket/key of the model (or of its folder, for an MLflow folder).</summary>
    public required string Location { get; init; }

    public required string Bucket { get; init; }

    public required string Key { get; init; }

    public int Files { get; init; }

    public long Bytes { get; init; }

    public string? ETag { get; init; }

    public required string Format { get; init; }

    public required string Sha256 { get; init; }

    public required string Name { get; init; }

    public required string ModelVersion { get; init; }

    /// <summary>The variables that point the function at this model.</summary>
    public required string FunctionEnvironment { get; init; }

    public Summary ToSummary() => new Summary()
        .Add("location", Location)
        .Add("bucket", Bucket)
        .Add("key", Key)
        .Add("files", Files)
        .Add("bytes", Bytes)
        .Add("etag", ETag)
        .Add("format", Format)
        .Add("sha256", Sha256)
        .Add("name", Name)
        .Add("model_version", ModelVersion)
        .Add("function_env", FunctionEnvironment);
}
