using StreamPredict.Data.Tlc;

namespace StreamPredict.Batch.Output;

/// <summary>
/// The prediction file and the rejected file, written to temporary files first and then published by the destination:
/// renamed into place locally, uploaded as complete objects to S3. The rejected file is published first, so a reader that
/// sees the predictions can also see the rows that were set aside.
/// </summary>
internal sealed class ParquetSink : IScoringSink
{
    private readonly IParquetDestination _destination;
    private readonly string _predictionsTemp;
    private readonly string _rejectedTemp;
    private readonly FileStream _predictionsFile;
    private readonly FileStream _rejectedFile;
    private PredictionFileWriter? _predictions;
    private RejectedFileWriter? _rejected;

    private ParquetSink(IParquetDestination destination, string predictionsTemp, string rejectedTemp)
    {
        _destination = destination;
        _predictionsTemp = predictionsTemp;
        _rejectedTemp = rejectedTemp;
        _predictionsFile = new FileStream(predictionsTemp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        _rejectedFile = new FileStream(rejectedTemp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
    }

    public string Destination => _destination.Predictions;

    public string RejectedDestination => _destination.Rejected;

    public static async Task<ParquetSink> CreateAsync(IParquetDestination destination, TlcTaxiType taxiType, ScoringMonth month, string modelVersion, CancellationToken cancellationToken)
    {
        var (predictionsTemp, rejectedTemp) = destination.TempFiles();
        var sink = new ParquetSink(destination, predictionsTemp, rejectedTemp);
        try
        {
            sink._predictions = await PredictionFileWriter.CreateAsync(sink._predictionsFile, taxiType, month, modelVersion, cancellationToken).ConfigureAwait(false);
            sink._rejected = await RejectedFileWriter.CreateAsync(sink._rejectedFile, taxiType, month, cancellationToken).ConfigureAwait(false);
            return sink;
        }
        catch
        {
            await sink.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task WriteAsync(ScoredChunk chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        await _predictions!.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
        await _rejected!.WriteAsync(chunk.Rejected, cancellationToken).ConfigureAwait(false);
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await CloseFilesAsync().ConfigureAwait(false);
        await _destination.PublishAsync(_rejectedTemp, _destination.Rejected, cancellationToken).ConfigureAwait(false);
        await _destination.PublishAsync(_predictionsTemp, _destination.Predictions, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseFilesAsync().ConfigureAwait(false);
        // Published temp files were moved away (local) or are copies (S3); either way nothing is left behind.
        DeleteQuietly(_predictionsTemp);
        DeleteQuietly(_rejectedTemp);
    }

    /// <summary>Writes each file's footer (its last bytes) and closes it; twice is harmless.</summary>
    private async Task CloseFilesAsync()
    {
        if (_predictions is { } predictions)
        {
            _predictions = null;
            await predictions.DisposeAsync().ConfigureAwait(false);
        }

        if (_rejected is { } rejected)
        {
            _rejected = null;
            await rejected.DisposeAsync().ConfigureAwait(false);
        }

        await _predictionsFile.DisposeAsync().ConfigureAwait(false);
        await _rejectedFile.DisposeAsync().ConfigureAwait(false);
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A temp file that cannot be removed is only litter; it is never at the final path.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
