namespace StreamPredict.Data.Tlc;

/// <summary>
/// Reads every row of a TLC trip file, chunk by chunk, with no filter: parquet (any of the schema drifts the TLC has
/// published: ids as int32, int64, double or text; nulls; microsecond, millisecond, nanosecond or INT96 timestamps) or
/// CSV, plain or gzip. The format is told from the content, not the file name. Green (lpep_*) and yellow (tpep_*) files.
/// </summary>
public abstract class TlcTripReader : IAsyncDisposable
{
    private static ReadOnlySpan<byte> ParquetMagic => "PAR1"u8;

    protected TlcTripReader(string source, TlcTaxiType taxiType)
    {
        Source = source;
        TaxiType = taxiType;
    }

    /// <summary>The file's name, for messages.</summary>
    public string Source { get; }

    public TlcTaxiType TaxiType { get; }

    /// <summary>Rows in the file when its format says so up front (parquet); null for CSV.</summary>
    public abstract long? RowCount { get; }

    /// <summary>The next rows, or null at the end. Dispose each chunk when done with it.</summary>
    public abstract ValueTask<TlcTripChunk?> ReadAsync(CancellationToken cancellationToken);

    public static Task<TlcTripReader> OpenFileAsync(string path, CancellationToken cancellationToken) =>
        OpenFileAsync(path, Path.GetFileName(path), cancellationToken);

    /// <summary>Opens <paramref name="path"/>, naming it <paramref name="source"/> in messages (e.g. a download's original name).</summary>
    public static async Task<TlcTripReader> OpenFileAsync(string path, string source, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.Asynchronous);
        try
        {
            return await OpenAsync(file, source, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Takes ownership of <paramref name="stream"/>; parquet needs it seekable (a non-seekable stream is buffered).</summary>
    public static async Task<TlcTripReader> OpenAsync(Stream stream, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            await stream.DisposeAsync().ConfigureAwait(false);
            copy.Position = 0;
            stream = copy;
        }

        var start = stream.Position;
        var magic = new byte[4];
        var got = await stream.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        stream.Position = start;
        if (got == 0)
        {
            throw new InvalidDataException($"{source} is empty; expected TLC trip records as parquet or CSV");
        }

        return got == magic.Length && magic.AsSpan().SequenceEqual(ParquetMagic)
            ? TlcParquetReader.OpenParquet(stream, source)
            : TlcCsvReader.Open(stream, source);
    }

    public abstract ValueTask DisposeAsync();
}
