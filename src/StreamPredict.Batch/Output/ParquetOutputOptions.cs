using Parquet;
using StreamPredict.Data.Tlc;

namespace StreamPredict.Batch.Output;

/// <summary>How both output files are encoded.</summary>
internal static class ParquetOutputOptions
{
    /// <summary>
    /// Snappy, as pandas writes. Dictionary encoding is decided on a sample, so the unique ride_id column costs one
    /// quick check instead of a scan of every value; the zone and model_version columns still get their dictionaries.
    /// </summary>
    public static ParquetOptions Create()
    {
        var options = TlcParquetOptions.BoundedPools();
        options.CompressionMethod = CompressionMethod.Snappy;
        options.DictionaryEncodingSampleSize = 4096;
        return options;
    }
}
