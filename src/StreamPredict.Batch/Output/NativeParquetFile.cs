using ParquetSharp;
using ParquetSharp.Schema;

namespace StreamPredict.Batch.Output;

/// <summary>
/// One output file written by Arrow's C++ parquet writer (ParquetSharp), through its low-level column writers only: they
/// take spans of physical values (int64, double, <see cref="ByteArray"/>) with no reflection, so the NativeAOT batch
/// Lambda can use them. The native writer opens and writes the file by its path itself (measured cheaper than a .NET stream).
/// </summary>
internal sealed class NativeParquetFile : IDisposable
{
    // The schema and properties are kept alive with the writer that was built from them, and released with it.
    private readonly GroupNode _schema;
    private readonly WriterProperties _properties;
    private readonly ParquetFileWriter _writer;
    private bool _closed;

    /// <summary>Takes ownership of <paramref name="schema"/> and <paramref name="properties"/>, also when opening fails.</summary>
    public NativeParquetFile(string path, GroupNode schema, WriterProperties properties)
    {
        _schema = schema;
        _properties = properties;
        try
        {
            _writer = new ParquetFileWriter(path, schema, properties);
        }
        catch
        {
            schema.Dispose();
            properties.Dispose();
            throw;
        }
    }

    public RowGroupWriter AppendRowGroup() => _writer.AppendRowGroup();

    /// <summary>Writes the footer and closes the file; unlike <see cref="Dispose"/>, reports a failure.</summary>
    public void Close()
    {
        if (!_closed)
        {
            _closed = true;
            _writer.Close();
        }
    }

    /// <summary>Releases the writer; a file that was not <see cref="Close"/>d is unfinished (the caller deletes it).</summary>
    public void Dispose()
    {
        _closed = true;
        _writer.Dispose();
        _schema.Dispose();
        _properties.Dispose();
    }

    /// <summary>The row group's next column, in schema order, all values required (no nulls).</summary>
    public static void Write<T>(RowGroupWriter group, ReadOnlySpan<T> values) where T : unmanaged
    {
        using var column = (ColumnWriter<T>)group.NextColumn();
        column.WriteBatch(values);
    }

    /// <summary>
    /// The row group's next column, in schema order, for an optional column: one definition level per row (1 = a value,
    /// 0 = null) and the values of the non-null rows only, packed.
    /// </summary>
    public static void WriteOptional<TRow, T>(RowGroupWriter group, IReadOnlyList<TRow> rows, Func<TRow, T?> value) where T : unmanaged
    {
        var levels = new short[rows.Count];
        var values = new T[rows.Count];
        var present = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            if (value(rows[i]) is { } v)
            {
                levels[i] = 1;
                values[present++] = v;
            }
        }

        using var column = (ColumnWriter<T>)group.NextColumn();
        column.WriteBatch(rows.Count, levels, default, values.AsSpan(0, present));
    }
}
