using Parquet;

namespace StreamPredict.Data.Tlc;

/// <summary>Parquet.Net settings shared by every reader and writer of trip files.</summary>
public static class TlcParquetOptions
{
    /// <summary>
    /// Parquet.Net keeps its freed page buffers in a pool that, by default, never gives memory back; capped, a month
    /// read or written group by group keeps a flat footprint.
    /// </summary>
    public static ParquetOptions BoundedPools() => new()
    {
        MaximumSmallPoolFreeBytes = 4 * 1024 * 1024,
        MaximumLargePoolFreeBytes = 16 * 1024 * 1024,
    };
}
