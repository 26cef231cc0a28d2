using ParquetSharp;
using StreamPredict.Data.Tlc;

namespace StreamPredict.Batch.Output;

/// <summary>
/// The prediction file and the rejected file, written to temporary files first and then published by the destination:
/// renamed into place locally, uploaded as complete objects to S3. The rejected file is published first, so a reader that
/// sees the predictions can also see the rows that were set aside. A failure of the native writer stops the run with the
/// file it was writing named, and, as any failure, leaves nothing at the final path.
/// </summary>
internal sealed class ParquetSink : IScoringSink
{
    private readonly IParquetDestination _destination;
    private readonly string _predictionsTemp;
    private readonly string _rejectedTemp;
    private PredictionFileWriter? _predictions;
    private RejectedFileWriter? _rejected;

    private ParquetSink(IParquetDestination destination, string predictionsTemp, string rejectedTemp)
    {
        _destination = destination;
        _predictionsTemp = predictionsTemp;
        _rejectedTemp = rejectedTemp;
    }

    public string Destination => _destination.Predictions;

    public string RejectedDestination => _destination.Rejected;

    public static async Task<ParquetSink> CreateAsync(IParquetDestination destination, TlcTaxiType taxiType, ScoringMonth month, string modelVersion, CancellationToken cancellationToken)
    {
        var (predictionsTemp, rejectedTemp) = destination.TempFiles();
        var sink = new ParquetSink(destination, predictionsTemp, rejectedTemp);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            sink.Native(() =>
            {
                sink._predictions = PredictionFileWriter.Create(predictionsTemp, taxiType, month, modelVersion);
                sink._rejected = RejectedFileWriter.Create(rejectedTemp, taxiType, month);
            });
            return sink;
        }
        catch
        {
            await sink.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Encodes the chunk on the calling thread (the native writer is synchronous).</summary>
    public Task WriteAsync(ScoredChunk chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        cancellationToken.ThrowIfCancellationRequested();
        Native(() =>
        {
            _predictions!.Write(chunk);
            _rejected!.Write(chunk.Rejected);
        });
        return Task.CompletedTask;
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        Native(() =>
        {
            _rejected!.Close();
            _predictions!.Close();
        });
        CloseFiles();
        await _destination.PublishAsync(_rejectedTemp, _destination.Rejected, cancellationToken).ConfigureAwait(false);
        await _destination.PublishAsync(_predictionsTemp, _destination.Predictions, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        CloseFiles();
        // Published temp files were moved away (local) or are copies (S3); either way nothing is left behind.
        DeleteQuietly(_predictionsTemp);
        DeleteQuietly(_rejectedTemp);
        return ValueTask.CompletedTask;
    }

    /// <summary>Releases both native writers; twice is harmless. A file not closed by <see cref="CommitAsync"/> is unfinished.</summary>
    private void CloseFiles()
    {
        _predictions?.Dispose();
        _predictions = null;
        _rejected?.Dispose();
        _rejected = null;
    }

    /// <summary>Runs native writer calls, turning Arrow's errors into one that says which output failed.</summary>
    private void Native(Action write)
    {
        try
        {
            write();
        }
        catch (ParquetException exception)
        {
            throw new IOException(
                $"Writing the parquet output for {_destination.Predictions} failed in the native parquet writer (ParquetSharp): {ParquetErrorText.Of(exception)}. Nothing was published.",
                exception);
        }
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
