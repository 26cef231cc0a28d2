using System.Globalization;
using System.IO.Compression;

namespace StreamPredict.Data.Tlc;

/// <summary>
/// Reads NYC TLC green-taxi trip CSV (plain or gzip, detected from the content) into <see cref="TripRow"/>s,
/// keeping the course's 1..60-minute rides. Fields are unquoted, as the TLC publishes them.
/// </summary>
public static class TlcCsvReader
{
    public const double MinDurationMinutes = 1;
    public const double MaxDurationMinutes = 60;

    private const string Pickup = "lpep_pickup_datetime";
    private const string Dropoff = "lpep_dropoff_datetime";
    private const string PickupLocation = "PULocationID";
    private const string DropoffLocation = "DOLocationID";
    private const string Distance = "trip_distance";
    private const string TimestampFormat = "yyyy-MM-dd HH:mm:ss";

    public static TlcDataset ReadFile(string path)
    {
        using FileStream file = File.OpenRead(path);
        return Read(file, Path.GetFileName(path));
    }

    /// <param name="source">The name recorded in the model's metadata and used in error messages.</param>
    public static TlcDataset Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(Decompressed(stream));
        string header = reader.ReadLine() ?? throw new InvalidDataException($"{source} is empty; expected a TLC CSV header");
        int[] columns = ColumnIndices(header, source);
        int last = columns.Max();

        var rows = new List<TripRow>();
        long read = 0, missing = 0, outside = 0;
        Span<Range> fields = stackalloc Range[last + 2];
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            if (line.Length == 0)
            {
                continue;
            }

            read++;
            ReadOnlySpan<char> text = line;
            int count = text.Split(fields, ',');
            if (count <= last)
            {
                throw new InvalidDataException($"{source} line {read + 1}: {count} fields, but the header needs at least {last + 1}");
            }

            ReadOnlySpan<char> pickup = Field(text, fields[columns[0]]);
            ReadOnlySpan<char> dropoff = Field(text, fields[columns[1]]);
            ReadOnlySpan<char> pu = Field(text, fields[columns[2]]);
            ReadOnlySpan<char> dO = Field(text, fields[columns[3]]);
            ReadOnlySpan<char> distance = Field(text, fields[columns[4]]);
            if (pickup.IsEmpty || dropoff.IsEmpty || pu.IsEmpty || dO.IsEmpty || distance.IsEmpty)
            {
                missing++;
                continue;
            }

            double duration = (Timestamp(dropoff, Dropoff, source, read) - Timestamp(pickup, Pickup, source, read)).TotalSeconds / 60;
            if (duration is < MinDurationMinutes or > MaxDurationMinutes)
            {
                outside++;
                continue;
            }

            rows.Add(new TripRow(
                LocationId(pu, PickupLocation, source, read),
                LocationId(dO, DropoffLocation, source, read),
                Number(distance, Distance, source, read),
                duration));
        }

        return new TlcDataset
        {
            Source = source,
            Rows = rows,
            RowsRead = read,
            SkippedMissingValues = missing,
            OutsideDurationRange = outside,
        };
    }

    // Sniffs the gzip magic number rather than trusting the file name.
    private static Stream Decompressed(Stream stream)
    {
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }

        long start = stream.Position;
        Span<byte> magic = stackalloc byte[2];
        int got = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = start;
        bool gzip = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        return gzip ? new GZipStream(stream, CompressionMode.Decompress) : stream;
    }

    private static int[] ColumnIndices(string header, string source)
    {
        string[] names = header.Split(',').Select(name => name.Trim().Trim('"')).ToArray();
        return [.. new[] { Pickup, Dropoff, PickupLocation, DropoffLocation, Distance }.Select(required =>
        {
            int index = Array.IndexOf(names, required);
            return index >= 0
                ? index
                : throw new InvalidDataException($"{source} has no \"{required}\" column; its header is: {header}");
        })];
    }

    private static ReadOnlySpan<char> Field(ReadOnlySpan<char> line, Range range) => line[range].Trim().Trim('"');

    private static DateTime Timestamp(ReadOnlySpan<char> text, string column, string source, long row) =>
        DateTime.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime value)
            ? value
            : throw Bad(text, column, source, row, $"a timestamp like {TimestampFormat}");

    // Ids arrive as "130" or, from files that went through pandas with missing values, as "130.0".
    private static int LocationId(ReadOnlySpan<char> text, string column, string source, long row)
    {
        double value = Number(text, column, source, row);
        return value == Math.Floor(value) && value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw Bad(text, column, source, row, "an integer location id");
    }

    private static double Number(ReadOnlySpan<char> text, string column, string source, long row) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw Bad(text, column, source, row, "a finite number");

    private static InvalidDataException Bad(ReadOnlySpan<char> text, string column, string source, long row, string expected) =>
        new($"{source} line {row + 1}: {column} \"{text}\" is not {expected}");
}
