namespace StreamPredict.Batch.Output;

/// <summary>
/// Files on local disk: written as hidden temporary files in the target folder (the same file system, so the rename is
/// atomic), then renamed over the final names. A crash leaves only a ".*.tmp" file, never a partial file at the final path.
/// </summary>
internal sealed class LocalParquetDestination : IParquetDestination
{
    public LocalParquetDestination(string predictionsPath)
    {
        Predictions = Path.GetFullPath(predictionsPath);
        Rejected = RejectedName.Beside(Predictions);
        if (Directory.Exists(Predictions))
        {
            throw new IOException($"--output '{predictionsPath}' is a folder; give the file to write (e.g. {Path.Combine(predictionsPath, "predictions.parquet")}).");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Predictions)!);
    }

    public string Predictions { get; }

    public string Rejected { get; }

    public (string Predictions, string Rejected) TempFiles() => (TempBeside(Predictions), TempBeside(Rejected));

    public Task PublishAsync(string tempFile, string final, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        File.Move(tempFile, final, overwrite: true);
        return Task.CompletedTask;
    }

    private static string TempBeside(string final) =>
        Path.Combine(Path.GetDirectoryName(final)!, $".{Path.GetFileName(final)}.{Guid.NewGuid():N}.tmp");
}
