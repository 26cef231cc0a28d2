namespace StreamPredict.Batch.Output;

/// <summary>Where the two parquet files end up, and how a finished temporary file is made visible there.</summary>
internal interface IParquetDestination
{
    string Predictions { get; }

    string Rejected { get; }

    /// <summary>Two new temporary paths to write the files to.</summary>
    (string Predictions, string Rejected) TempFiles();

    /// <summary>Puts the finished <paramref name="tempFile"/> at <paramref name="final"/> in one step, replacing what is there.</summary>
    Task PublishAsync(string tempFile, string final, CancellationToken cancellationToken);
}

/// <summary>The rejected file's name beside the predictions: {run_id}.parquet → {run_id}.rejected.parquet.</summary>
internal static class RejectedName
{
    public const string Suffix = ".rejected.parquet";

    public static string Beside(string predictions)
    {
        ArgumentException.ThrowIfNullOrEmpty(predictions);
        return predictions.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)
            ? predictions[..^".parquet".Length] + Suffix
            : predictions + Suffix;
    }
}
