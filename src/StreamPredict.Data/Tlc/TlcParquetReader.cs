using System.Runtime.CompilerServices;
using Parquet;
using Parquet.Schema;

namespace StreamPredict.Data.Tlc;

/// <summary>
/// TLC parquet, one row group at a time (Parquet.Net reads a column chunk whole, so a row group is the unit of memory).
/// Only the five needed columns are decoded. Column types are taken as the file declares them, whatever year it is from.
/// </summary>
internal sealed class TlcParquetReader : TlcTripReader
{
    private readonly ParquetReader _reader;
    private readonly DataField[] _fields;
    private int _nextGroup;
    private long _nextRow;

    // Every chunk's buffers are sized for the largest row group, so the pools hand the same arrays back for each group
    // (a smaller last group would otherwise take new arrays of the next size down while the large ones sit in the pool).
    private readonly int _largestGroupRows;

    private TlcParquetReader(ParquetReader reader, string source, TlcTaxiType taxiType, DataField[] fields, long rowCount, int largestGroupRows)
        : base(source, taxiType)
    {
        _reader = reader;
        _fields = fields;
        RowCount = rowCount;
        _largestGroupRows = largestGroupRows;
    }

    public override long? RowCount { get; }

    internal static async Task<TlcTripReader> OpenParquetAsync(Stream stream, string source, CancellationToken cancellationToken)
    {
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(stream, TlcParquetOptions.BoundedPools(), leaveStreamOpen: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new InvalidDataException($"{source} is not a readable parquet file: {exception.Message}", exception);
        }

        try
        {
            var fields = reader.Schema.GetDataFields();
            var byName = fields.GroupBy(f => f.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var taxiType = TlcColumns.DetectTaxiType(byName.Keys, source);
            var needed = TlcColumns.Required(taxiType).Select(name => byName[name]).ToArray();
            long rows = 0;
            long largest = 0;
            for (var group = 0; group < reader.RowGroupCount; group++)
            {
                using var rowGroup = reader.OpenRowGroupReader(group);
                rows += rowGroup.RowCount;
                largest = Math.Max(largest, rowGroup.RowCount);
            }

            return new TlcParquetReader(reader, source, taxiType, needed, rows, (int)Math.Min(largest, Array.MaxLength));
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override async ValueTask<TlcTripChunk?> ReadAsync(CancellationToken cancellationToken)
    {
        // Row groups with no rows (some writers emit them) are skipped rather than returned empty.
        while (_nextGroup < _reader.RowGroupCount)
        {
            using var group = _reader.OpenRowGroupReader(_nextGroup++);
            if (group.RowCount == 0)
            {
                continue;
            }

            var count = group.RowCount <= Array.MaxLength
                ? (int)group.RowCount
                : throw new InvalidDataException($"{Source}: row group {_nextGroup - 1} has {group.RowCount} rows, more than one chunk can hold");
            var chunk = new TlcTripChunk(_nextRow, Math.Max(count, _largestGroupRows)) { Count = count };
            try
            {
                chunk.Trips.Clear();
                await ReadTimestampsAsync(group, _fields[0], chunk.Buffer, count, TlcFields.Pickup, cancellationToken).ConfigureAwait(false);
                await ReadTimestampsAsync(group, _fields[1], chunk.Buffer, count, TlcFields.Dropoff, cancellationToken).ConfigureAwait(false);
                await ReadNumbersAsync(group, _fields[2], chunk.Buffer, count, TlcFields.PickupLocation, cancellationToken).ConfigureAwait(false);
                await ReadNumbersAsync(group, _fields[3], chunk.Buffer, count, TlcFields.DropoffLocation, cancellationToken).ConfigureAwait(false);
                await ReadNumbersAsync(group, _fields[4], chunk.Buffer, count, TlcFields.Distance, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                chunk.Dispose();
                throw;
            }

            _nextRow += count;
            return chunk;
        }

        return null;
    }

    public override ValueTask DisposeAsync() => _reader.DisposeAsync();

    private Task ReadTimestampsAsync(ParquetRowGroupReader group, DataField field, TlcTrip[] trips, int count, TlcFields which, CancellationToken cancellationToken)
    {
        var type = field.ClrType;
        return type == typeof(DateTime) ? ReadColumnAsync<DateTime, TimestampSetter>(group, field, trips, count, which, cancellationToken)
            : type == typeof(DateTimeOffset) ? ReadColumnAsync<DateTimeOffset, TimestampSetter>(group, field, trips, count, which, cancellationToken)
            : type == typeof(ReadOnlyMemory<char>) ? ReadColumnAsync<ReadOnlyMemory<char>, TextSetter>(group, field, trips, count, which, cancellationToken)
            : throw new InvalidDataException($"{Source}: column {field.Name} holds {type.Name}, not timestamps");
    }

    private Task ReadNumbersAsync(ParquetRowGroupReader group, DataField field, TlcTrip[] trips, int count, TlcFields which, CancellationToken cancellationToken)
    {
        var type = field.ClrType;
        return type == typeof(double) ? ReadColumnAsync<double, NumberSetter>(group, field, trips, count, which, cancellationToken)
            : type == typeof(long) ? ReadColumnAsync<long, NumberSetter>(group, field, trips, count, which, cancellationToken)
            : type == typeof(int) ? ReadColumnAsync<int, NumberSetter>(group, field, trips, count, which, cancellationToken)
            : type == typeof(float) ? ReadColumnAsync<float, NumberSetter>(group, field, trips, count, which, cancellationToken)
            : type == typeof(short) ? ReadColumnAsync<short, NumberSetter>(group, field, trips, count, which, cancellationToken)
            : type == typeof(decimal) ? ReadColumnAsync<decimal, NumberSetter>(group, field, trips, count, which, cancellationToken)
            : type == typeof(ReadOnlyMemory<char>) ? ReadColumnAsync<ReadOnlyMemory<char>, TextSetter>(group, field, trips, count, which, cancellationToken)
            : throw new InvalidDataException($"{Source}: column {field.Name} holds {type.Name}, not numbers");
    }

    /// <summary>
    /// One column into the trips. Read raw: the non-null values packed in one pooled buffer and, for a nullable column,
    /// each row's definition level in another, so a row holds a value when its level is the field's maximum. That is what
    /// Parquet.Net decodes anyway; its nullable overload would add a T?[] per column and copy every value into it.
    /// </summary>
    private static async Task ReadColumnAsync<T, TSetter>(ParquetRowGroupReader group, DataField field, TlcTrip[] trips, int count, TlcFields which, CancellationToken cancellationToken)
        where T : struct
        where TSetter : IFieldSetter<T>
    {
        // Sized like the chunk's buffer, not the group, for the reason given at _largestGroupRows.
        var values = TlcBuffers.Pool<T>().Rent(trips.Length);
        var levels = field.MaxDefinitionLevel > 0 ? TlcBuffers.Pool<int>().Rent(trips.Length) : null;
        try
        {
            await group.ReadRawAsync<T>(field, values.AsMemory(0, count), levels?.AsMemory(0, count), repetitionLevels: null, cancellationToken).ConfigureAwait(false);
            var present = field.MaxDefinitionLevel;
            var next = 0;
            for (var i = 0; i < count; i++)
            {
                if (levels is null || levels[i] == present)
                {
                    TSetter.Set(ref trips[i], which, values[next++]);
                }
            }
        }
        finally
        {
            TlcBuffers.Pool<T>().Return(values, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
            if (levels is not null)
            {
                TlcBuffers.Pool<int>().Return(levels);
            }
        }
    }

    /// <summary>Puts one decoded value into a trip's field; static, so the column loop is specialised per type.</summary>
    private interface IFieldSetter<in T>
    {
        static abstract void Set(ref TlcTrip trip, TlcFields which, T value);
    }

    private readonly struct TimestampSetter : IFieldSetter<DateTime>, IFieldSetter<DateTimeOffset>
    {
        /// <summary>
        /// TLC times are New York wall-clock times without a zone. Parquet.Net marks a TIMESTAMP without isAdjustedToUTC as
        /// DateTimeKind.Local, and its writer turns Local values into UTC with the machine's zone, which would shift every
        /// written pickup time on a machine not set to UTC; the kind is cleared here, once, for every consumer.
        /// </summary>
        public static void Set(ref TlcTrip trip, TlcFields which, DateTime value) => trip.SetTimestamp(which, DateTime.SpecifyKind(value, DateTimeKind.Unspecified));

        public static void Set(ref TlcTrip trip, TlcFields which, DateTimeOffset value) => trip.SetTimestamp(which, value.DateTime);
    }

    private readonly struct NumberSetter :
        IFieldSetter<double>, IFieldSetter<long>, IFieldSetter<int>, IFieldSetter<float>, IFieldSetter<short>, IFieldSetter<decimal>
    {
        public static void Set(ref TlcTrip trip, TlcFields which, double value) => trip.SetNumber(which, value);

        public static void Set(ref TlcTrip trip, TlcFields which, long value) => trip.SetNumber(which, value);

        public static void Set(ref TlcTrip trip, TlcFields which, int value) => trip.SetNumber(which, value);

        public static void Set(ref TlcTrip trip, TlcFields which, float value) => trip.SetNumber(which, value);

        public static void Set(ref TlcTrip trip, TlcFields which, short value) => trip.SetNumber(which, value);

        public static void Set(ref TlcTrip trip, TlcFields which, decimal value) => trip.SetNumber(which, (double)value);
    }

    /// <summary>Values stored as text (the 2021 files' zone ids, or timestamps in some re-saved files), parsed per field.</summary>
    private readonly struct TextSetter : IFieldSetter<ReadOnlyMemory<char>>
    {
        public static void Set(ref TlcTrip trip, TlcFields which, ReadOnlyMemory<char> value) => trip.SetText(which, value.Span);
    }
}
