using Parquet;

namespace StreamPredict.Batch.Output;

/// <summary>How both output files are encoded.</summary>
internal static class ParquetOutputOptions
{
    /// <summary>
    /// Snappy, as pandas writes. Parquet.Net writes strings PLAIN unless a column is hinted: then it builds a dictionary
    /// and writes each row as an index, which for the low-cardinality text columns (the zones: at most 265 values; the
    /// constant model_version; the reason codes) costs less CPU than PLAIN (no UTF-8 copy and no min/max comparison per
    /// row) and gives a smaller file. The unique ride_id is left PLAIN. A hinted column whose sample of
    /// <see cref="ParquetOptions.DictionaryEncodingSampleSize"/> rows is mostly unique falls back to PLAIN after that quick check.
    /// </summary>
    public static ParquetOptions Create(params string[] dictionaryColumns)
    {
        // Parquet.Net keeps its freed page buffers in a pool that, by default, never gives memory back; capped, a month
        // written group by group keeps a flat footprint.
        var options = new ParquetOptions
        {
            MaximumSmallPoolFreeBytes = 4 * 1024 * 1024,
            MaximumLargePoolFreeBytes = 16 * 1024 * 1024,
        };
        options.CompressionMethod = CompressionMethod.Snappy;
        options.DictionaryEncodingSampleSize = 4096;
        foreach (var column in dictionaryColumns)
        {
            options.ColumnEncodingHints[column] = EncodingHint.Dictionary;
        }

        return options;
    }
}
