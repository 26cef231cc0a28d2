using ParquetSharp;
using ParquetSharp.Schema;

namespace StreamPredict.Data.Tlc;

/// <summary>
/// Parquet schema nodes for the files we write (the batch job's outputs, <see cref="TlcParquetWriter"/>'s inputs): physical
/// types with the logical types pandas and pyarrow read (UTF-8 strings, TIMESTAMP(MICROS) without a zone). Flat: required
/// columns, or optional ones with one definition level.
/// </summary>
internal static class ParquetNodes
{
    public static Node Text(string name) => Primitive(name, optional: false, LogicalType.String(), PhysicalType.ByteArray);

    /// <summary>TIMESTAMP(MICROS) without a zone (isAdjustedToUTC=false), as pandas writes the TLC's naive New York times.</summary>
    public static Node Timestamp(string name, bool optional) =>
        Primitive(name, optional, LogicalType.Timestamp(isAdjustedToUtc: false, TimeUnit.Micros), PhysicalType.Int64);

    public static Node Double(string name, bool optional) => Primitive(name, optional, LogicalType.None(), PhysicalType.Double);

    public static Node Int64(string name, bool optional = false) => Primitive(name, optional, LogicalType.None(), PhysicalType.Int64);

    /// <summary>The file's root; the native schema keeps its own references, so the columns' handles are released here.</summary>
    public static GroupNode Root(params Node[] columns)
    {
        try
        {
            return new GroupNode("schema", Repetition.Required, columns);
        }
        finally
        {
            foreach (var column in columns)
            {
                column.Dispose();
            }
        }
    }

    private static PrimitiveNode Primitive(string name, bool optional, LogicalType logicalType, PhysicalType physicalType)
    {
        using (logicalType)
        {
            return new PrimitiveNode(name, optional ? Repetition.Optional : Repetition.Required, logicalType, physicalType);
        }
    }

    /// <summary>
    /// A timestamp as parquet stores it: microseconds since 1970-01-01 of the wall-clock value, with no zone conversion
    /// (the Kind is ignored); whole microseconds downwards, also before 1970.
    /// </summary>
    public static long Micros(DateTime value)
    {
        var ticks = value.Ticks - DateTime.UnixEpoch.Ticks;
        var micros = ticks / TimeSpan.TicksPerMicrosecond;
        return ticks % TimeSpan.TicksPerMicrosecond < 0 ? micros - 1 : micros;
    }
}
