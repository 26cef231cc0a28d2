using System.Runtime.CompilerServices;
using ParquetSharp;

namespace StreamPredict.Data.Tlc;

/// <summary>
/// Reads one of the five needed columns into the trips, chunk by chunk, through ParquetSharp's physical-type column
/// reader (not its LogicalColumnReader, which builds its converters by reflection; the batch function is NativeAOT).
/// Chosen once per file from the column's physical and logical types, so every TLC vintage is read as it is stored.
/// </summary>
internal abstract class ParquetColumnDecoder
{
    /// <summary>Reads the column's next <paramref name="count"/> rows into trips[0..count).</summary>
    public abstract void Read(ColumnReader reader, TlcTrip[] trips, int count);

    /// <summary>The decoder for <paramref name="column"/> as field <paramref name="which"/>, or a message naming what cannot be read.</summary>
    public static ParquetColumnDecoder For(ColumnDescriptor column, TlcFields which, string source)
    {
        ArgumentNullException.ThrowIfNull(column);
        using var logical = column.LogicalType;
        var physical = column.PhysicalType;
        var timestamp = which is TlcFields.Pickup or TlcFields.Dropoff;
        var decoder = timestamp ? ForTimestamps(physical, logical, column, which, source) : ForNumbers(physical, logical, column, which, source);
        return decoder ?? throw new InvalidDataException(
            $"{source}: column {column.Name} is {physical} with logical type {logical}, which is not read as {(timestamp ? "timestamps" : "numbers")}");
    }

    private static ParquetColumnDecoder? ForTimestamps(PhysicalType physical, LogicalType logical, ColumnDescriptor column, TlcFields which, string source) =>
        (physical, logical) switch
        {
            // TIMESTAMP(unit), or the legacy converted types TIMESTAMP_MILLIS/MICROS, which ParquetSharp reports the same way.
            (PhysicalType.Int64, TimestampLogicalType { TimeUnit: TimeUnit.Millis or TimeUnit.Micros or TimeUnit.Nanos } stamp) =>
                Make<long, EpochTimestampSetter>(column, which, source, new EpochTimestampSetter(stamp.TimeUnit)),
            (PhysicalType.Int96, { Type: LogicalTypeEnum.None }) => Make<Int96, Int96TimestampSetter>(column, which, source, default),
            (PhysicalType.ByteArray, { Type: LogicalTypeEnum.String or LogicalTypeEnum.None }) => Make<ByteArray, Utf8TextSetter>(column, which, source, default),
            _ => null,
        };

    private static ParquetColumnDecoder? ForNumbers(PhysicalType physical, LogicalType logical, ColumnDescriptor column, TlcFields which, string source) =>
        (physical, logical) switch
        {
            (PhysicalType.Int32, { Type: LogicalTypeEnum.None } or IntLogicalType { IsSigned: true }) => Make<int, Int32NumberSetter>(column, which, source, default),
            (PhysicalType.Int32, IntLogicalType { IsSigned: false }) => Make<int, UInt32NumberSetter>(column, which, source, default),
            (PhysicalType.Int32, DecimalLogicalType number) => Make<int, ScaledInt32Setter>(column, which, source, new(BigEndianDecimal.Divisor(number.Scale))),
            (PhysicalType.Int64, { Type: LogicalTypeEnum.None } or IntLogicalType { IsSigned: true }) => Make<long, Int64NumberSetter>(column, which, source, default),
            (PhysicalType.Int64, IntLogicalType { IsSigned: false }) => Make<long, UInt64NumberSetter>(column, which, source, default),
            (PhysicalType.Int64, DecimalLogicalType number) => Make<long, ScaledInt64Setter>(column, which, source, new(BigEndianDecimal.Divisor(number.Scale))),
            (PhysicalType.Float, { Type: LogicalTypeEnum.None }) => Make<float, FloatNumberSetter>(column, which, source, default),
            (PhysicalType.Double, { Type: LogicalTypeEnum.None }) => Make<double, DoubleNumberSetter>(column, which, source, default),
            (PhysicalType.ByteArray, { Type: LogicalTypeEnum.String or LogicalTypeEnum.None }) => Make<ByteArray, Utf8TextSetter>(column, which, source, default),
            (PhysicalType.ByteArray, DecimalLogicalType number) => Make<ByteArray, ByteArrayDecimalSetter>(column, which, source, new(BigEndianDecimal.Divisor(number.Scale))),
            (PhysicalType.FixedLenByteArray, DecimalLogicalType number) when column.TypeLength is > 0 and <= BigEndianDecimal.MaxBytes =>
                Make<FixedLenByteArray, FixedLengthDecimalSetter>(column, which, source, new(column.TypeLength, BigEndianDecimal.Divisor(number.Scale))),
            _ => null,
        };

    private static ParquetColumnDecoder<TValue, TSetter> Make<TValue, TSetter>(ColumnDescriptor column, TlcFields which, string source, TSetter setter)
        where TValue : unmanaged
        where TSetter : struct, IParquetValueSetter<TValue> =>
        new(source, column.Name, which, column.MaxDefinitionLevel, setter);
}

/// <summary>One column's loop for one stored type: values and definition levels in buffers of one chunk, reused.</summary>
internal sealed class ParquetColumnDecoder<TValue, TSetter>(string source, string name, TlcFields which, short maxDefinitionLevel, TSetter setter) : ParquetColumnDecoder
    where TValue : unmanaged
    where TSetter : struct, IParquetValueSetter<TValue>
{
    private readonly TValue[] _values = new TValue[TlcParquetReader.ChunkRows];
    private readonly short[] _levels = new short[TlcParquetReader.ChunkRows];

    // Not readonly: a setter may keep a buffer it grows (the text setter's chars).
    private TSetter _setter = setter;

    // Optimised at its first call: a month is scored in about a second, and tiered compilation would run the hot loops as
    // unoptimised code for much of it (src/StreamPredict.Batch/README.md, "Performance"). The same on the batch's other
    // per-row loops: ScoredChunk.Classify, RowClassifier.Classify, PredictionFileWriter.Write, CompiledModel.PredictBatch.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Read(ColumnReader reader, TlcTrip[] trips, int count)
    {
        var typed = (ColumnReader<TValue>)reader;
        var row = 0;
        while (row < count)
        {
            // A call stops at the end of a page, so it may return fewer rows than asked: loop until the chunk is full.
            var levels = (int)typed.ReadBatch(count - row, _levels, default, _values, out var valuesRead);
            if (levels == 0)
            {
                throw new InvalidDataException($"{source} is not a readable parquet file: column {name} ends before its row group's last row");
            }

            if (maxDefinitionLevel == 0)
            {
                for (var i = 0; i < levels; i++)
                {
                    _setter.Set(ref trips[row + i], which, _values[i]);
                }
            }
            else
            {
                // Values come packed, nulls left out: a row holds the next value when its level is the column's maximum
                // (a lower level is a null, of the column or of a group around it), and stays not Present otherwise.
                var next = 0;
                for (var i = 0; i < levels; i++)
                {
                    if (_levels[i] == maxDefinitionLevel)
                    {
                        _setter.Set(ref trips[row + i], which, _values[next++]);
                    }
                }

                if (next != valuesRead)
                {
                    throw new InvalidDataException($"{source} is not a readable parquet file: column {name} has {valuesRead} values for {next} non-null rows");
                }
            }

            row += levels;
        }
    }
}
