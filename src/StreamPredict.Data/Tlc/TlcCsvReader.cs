using System.IO.Compression;
using System.Text;

namespace StreamPredict.Data.Tlc;

/// <summary>
/// TLC trip CSV, plain or gzip (told from the content), every line kept: blank fields are missing, text that is not a
/// number or a timestamp is unreadable, a short line lacks its last fields. Fields are unquoted, as the TLC publishes them
/// (quotes around a value are dropped).
/// </summary>
internal sealed class TlcCsvReader : TlcTripReader
{
    /// <summary>Lines per chunk: small enough to keep memory flat, large enough to amortise the hand-off.</summary>
    internal const int ChunkLines = 1 << 16;

    private readonly StreamReader _text;
    private readonly int[] _columns;
    private readonly int _last;
    private long _nextRow;

    private TlcCsvReader(StreamReader text, string source, TlcTaxiType taxiType, int[] columns)
        : base(source, taxiType)
    {
        _text = text;
        _columns = columns;
        _last = columns.Max();
    }

    public override long? RowCount => null;

    public static TlcCsvReader Open(Stream stream, string source)
    {
        var text = new StreamReader(Decompressed(stream), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        try
        {
            var header = text.ReadLine() ?? throw new InvalidDataException($"{source} is empty; expected a TLC CSV header");
            var names = header.Split(',').Select(name => name.Trim().Trim('"')).ToArray();
            var taxiType = TlcColumns.DetectTaxiType(names, source);
            var columns = TlcColumns.Required(taxiType).Select(required => Array.IndexOf(names, required)).ToArray();
            return new TlcCsvReader(text, source, taxiType, columns);
        }
        catch
        {
            text.Dispose();
            throw;
        }
    }

    public override async ValueTask<TlcTripChunk?> ReadAsync(CancellationToken cancellationToken)
    {
        TlcTripChunk? chunk = null;
        var fields = new Range[_last + 2];
        while (await _text.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            chunk ??= new TlcTripChunk(_nextRow, ChunkLines);
            var trips = chunk.Buffer;
            trips[chunk.Count] = Parse(line, fields);
            chunk.Count++;
            _nextRow++;
            if (chunk.Count == ChunkLines)
            {
                break;
            }
        }

        return chunk;
    }

    public override ValueTask DisposeAsync()
    {
        _text.Dispose();
        return ValueTask.CompletedTask;
    }

    private TlcTrip Parse(ReadOnlySpan<char> line, Span<Range> fields)
    {
        var count = line.Split(fields, ',');
        var trip = default(TlcTrip);
        for (var f = 0; f < _columns.Length; f++)
        {
            var which = (TlcFields)(1 << f);
            var column = _columns[f];
            var text = column < count ? line[fields[column]].Trim().Trim('"') : default;
            trip.SetText(which, text);
        }

        return trip;
    }

    // Sniffs the gzip magic number rather than trusting the file name.
    private static Stream Decompressed(Stream stream)
    {
        var start = stream.Position;
        Span<byte> magic = stackalloc byte[2];
        var got = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = start;
        var gzip = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        return gzip ? new GZipStream(stream, CompressionMode.Decompress) : stream;
    }
}
