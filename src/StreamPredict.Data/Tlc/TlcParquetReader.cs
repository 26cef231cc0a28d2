using System.Numerics;
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

    private TlcParquetReader(ParquetReader reader, string source, TlcTaxiType taxiType, DataField[] fields, long rowCount)
        : base(source, taxiType)
    {
        _reader = reader;
        _fields = fields;
        RowCount = rowCount;
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
            for (var group = 0; group < reader.RowGroupCount; group++)
            {
                using var rowGroup = reader.OpenRowGroupReader(group);
                rows += rowGroup.RowCount;
            }

            return new TlcParquetReader(reader, source, taxiType, needed, rows);
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
            var chunk = new TlcTripChunk(_nextRow, count) { Count = count };
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

    private async Task ReadTimestampsAsync(ParquetRowGroupReader group, DataField field, TlcTrip[] trips, int count, TlcFields which, CancellationToken cancellationToken)
    {
        var type = field.ClrType;
        if (type == typeof(DateTime))
        {
            using var values = await ReadAsync<DateTime>(group, field, count, cancellationToken).ConfigureAwait(false);
            var span = values.Span;
            for (var i = 0; i < count; i++)
            {
                if (span[i] is { } value)
                {
                    trips[i].SetTimestamp(which, value);
                }
            }
        }
        else if (type == typeof(DateTimeOffset))
        {
            using var values = await ReadAsync<DateTimeOffset>(group, field, count, cancellationToken).ConfigureAwait(false);
            var span = values.Span;
            for (var i = 0; i < count; i++)
            {
                if (span[i] is { } value)
                {
                    trips[i].SetTimestamp(which, value.DateTime);
                }
            }
        }
        else if (type == typeof(ReadOnlyMemory<char>))
        {
            await ReadTextAsync(group, field, trips, count, which, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            throw new InvalidDataException($"{Source}: column {field.Name} holds {type.Name}, not timestamps");
        }
    }

    private Task ReadNumbersAsync(ParquetRowGroupReader group, DataField field, TlcTrip[] trips, int count, TlcFields which, CancellationToken cancellationToken)
    {
        var type = field.ClrType;
        return type == typeof(double) ? ReadNumbersAsync<double>(group, field, trips, count, which, cancellationToken)
            : type == typeof(long) ? ReadNumbersAsync<long>(group, field, trips, count, which, cancellationToken)
            : type == typeof(int) ? ReadNumbersAsync<int>(group, field, trips, count, which, cancellationToken)
            : type == typeof(float) ? ReadNumbersAsync<float>(group, field, trips, count, which, cancellationToken)
            : type == typeof(short) ? ReadNumbersAsync<short>(group, field, trips, count, which, cancellationToken)
            : type == typeof(decimal) ? ReadNumbersAsync<decimal>(group, field, trips, count, which, cancellationToken)
            : type == typeof(ReadOnlyMemory<char>) ? ReadTextAsync(group, field, trips, count, which, cancellationToken)
            : throw new InvalidDataException($"{Source}: column {field.Name} holds {type.Name}, not numbers");
    }

    private static async Task ReadNumbersAsync<T>(ParquetRowGroupReader group, DataField field, TlcTrip[] trips, int count, TlcFields which, CancellationToken cancellationToken)
        where T : struct, INumberBase<T>
    {
        using var values = await ReadAsync<T>(group, field, count, cancellationToken).ConfigureAwait(false);
        var span = values.Span;
        for (var i = 0; i < count; i++)
        {
            if (span[i] is { } value)
            {
                trips[i].SetNumber(which, double.CreateTruncating(value));
            }
        }
    }

    /// <summary>Values stored as text (the 2021 files' zone ids, or timestamps in some re-saved files), parsed per field.</summary>
    private static async Task ReadTextAsync(ParquetRowGroupReader group, DataField field, TlcTrip[] trips, int count, TlcFields which, CancellationToken cancellationToken)
    {
        using var values = await ReadAsync<ReadOnlyMemory<char>>(group, field, count, cancellationToken).ConfigureAwait(false);
        var span = values.Span;
        for (var i = 0; i < count; i++)
        {
            if (span[i] is { } text)
            {
                trips[i].SetText(which, text.Span);
            }
        }
    }

    /// <summary>A column's values, null where the file has null, in a pooled buffer.</summary>
    private static async Task<PooledValues<T>> ReadAsync<T>(ParquetRowGroupReader group, DataField field, int count, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new PooledValues<T>(count);
        try
        {
            if (field.IsNullable)
            {
                await group.ReadAsync<T>(field, values.Memory, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // A required column: read plain values, then lift them.
                var plain = TlcBuffers.Pool<T>().Rent(count);
                try
                {
                    await group.ReadAsync<T>(field, plain.AsMemory(0, count), cancellationToken: cancellationToken).ConfigureAwait(false);
                    var span = values.Memory.Span;
                    for (var i = 0; i < count; i++)
                    {
                        span[i] = plain[i];
                    }
                }
                finally
                {
                    TlcBuffers.Pool<T>().Return(plain);
                }
            }

            return values;
        }
        catch
        {
            values.Dispose();
            throw;
        }
    }

    private sealed class PooledValues<T>(int count) : IDisposable
        where T : struct
    {
        private readonly T?[] _array = TlcBuffers.Pool<T?>().Rent(count);

        public Memory<T?> Memory => _array.AsMemory(0, count);

        public ReadOnlySpan<T?> Span => _array.AsSpan(0, count);

        public void Dispose() => TlcBuffers.Pool<T?>().Return(_array, clearArray: true);
    }
}
