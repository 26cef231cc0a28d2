using StreamPredict.Aws.S3;

namespace StreamPredict.Batch.Output;

/// <summary>
/// Objects in S3: the files are written to the local temp folder, then each is uploaded as one complete object (a single
/// PUT, or a multipart upload for large files, which S3 shows only once it is completed). A failed upload leaves the old
/// object, or none, in place.
/// </summary>
internal sealed class S3ParquetDestination(S3ObjectStore store, S3Address predictions, string tempFolder) : IParquetDestination
{
    private readonly S3Address _rejected = predictions with { Key = RejectedName.Beside(predictions.Key) };

    public string Predictions => predictions.ToString();

    public string Rejected => _rejected.ToString();

    public (string Predictions, string Rejected) TempFiles() => (NewTemp(), NewTemp());

    public async Task PublishAsync(string tempFile, string final, CancellationToken cancellationToken)
    {
        var target = final == Predictions ? predictions : _rejected;
        await store.UploadFileAsync(target.Bucket, target.Key, tempFile, cancellationToken).ConfigureAwait(false);
    }

    private string NewTemp() => Path.Combine(tempFolder, $"streampredict-score-{Guid.NewGuid():N}.parquet");
}
