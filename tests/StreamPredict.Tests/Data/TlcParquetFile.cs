using Parquet;
using Parquet.Schema;

namespace StreamPredict.Tests.Data;

/// <summary>
/// Writes small parquet files with chosen column types, to feed the readers every schema the TLC has used. Written with
/// Parquet.Net, not with ParquetSharp that the reader uses: an independent implementation writing our inputs is a
/// cross-check, so a misreading of the format on one side is not hidden by the same mistake on the other.
/// </summary>
public static class TlcParquetFile
{
    /// <summary>One column: its schema field and a writer for one row group's slice of it (given the field as attached to the schema).</summary>
    public sealed record Column(DataField Field, Func<ParquetRowGroupWriter, DataField, int, int, Task> Write)
    {
        public override string ToString() => Field.ToString();
    }

    public static Column Of<T>(string name, params T?[] values) where T : struct =>
        new(new DataField<T>(name, nullable: true), (group, field, start, count) => group.WriteAsync<T>(field, values.AsMemory(start, count)));

    public static Column Required<T>(string name, params T[] values) where T : struct =>
        new(new DataField<T>(name, nullable: false), (group, field, start, count) => group.WriteAsync<T>(field, values.AsMemory(start, count)));

    public static Column Text(string name, params string?[] values) =>
        new(new DataField<string>(name, nullable: true), (group, field, start, count) =>
            group.WriteAsync<ReadOnlyMemory<char>>(field, values.Skip(start).Take(count).Select(v => v is null ? (ReadOnlyMemory<char>?)null : v.AsMemory()).ToArray()));

    public static Column Timestamps(string name, DateTimeFormat format, params DateTime?[] values) =>
        new(new DateTimeDataField(name, format, isAdjustedToUTC: false, unit: format == DateTimeFormat.Timestamp ? DateTimeTimeUnit.Micros : null, isNullable: true),
            (group, field, start, count) => group.WriteAsync<DateTime>(field, values.AsMemory(start, count)));

    /// <summary>INT64 TIMESTAMP in <paramref name="unit"/>, marked adjusted to UTC or not.</summary>
    public static Column Timestamps(string name, DateTimeTimeUnit unit, bool adjustedToUtc, params DateTime?[] values) =>
        new(new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: adjustedToUtc, unit: unit, isNullable: true),
            (group, field, start, count) => group.WriteAsync<DateTime>(field, values.AsMemory(start, count)));

    /// <summary>DECIMAL(precision, scale): Parquet.Net stores it as INT32, INT64 or FIXED_LEN_BYTE_ARRAY by precision, or always as bytes if told.</summary>
    public static Column Decimals(string name, int precision, int scale, bool asBytes, params decimal?[] values) =>
        new(new DecimalDataField(name, precision, scale, forceByteArrayEncoding: asBytes, isNullable: true),
            (group, field, start, count) => group.WriteAsync<decimal>(field, values.AsMemory(start, count)));

    /// <summary>Writes the columns as row groups of <paramref name="rowsPerGroup"/> rows.</summary>
    public static async Task WriteAsync(string path, int rows, int rowsPerGroup, params Column[] columns)
    {
        var schema = new ParquetSchema(columns.Select(c => (Field)c.Field).ToArray());
        var fields = schema.GetDataFields();
        using var file = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, file);
        for (var start = 0; start < rows; start += rowsPerGroup)
        {
            using var group = writer.CreateRowGroup();
            for (var c = 0; c < columns.Length; c++)
            {
                await columns[c].Write(group, fields[c], start, Math.Min(rowsPerGroup, rows - start));
            }
        }
    }
}
