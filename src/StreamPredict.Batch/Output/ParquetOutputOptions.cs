using ParquetSharp;

namespace StreamPredict.Batch.Output;

/// <summary>How both output files are encoded (Arrow's C++ writer through ParquetSharp).</summary>
internal static class ParquetOutputOptions
{
    /// <summary>
    /// Snappy, as pandas writes. Dictionary encoding only for <paramref name="dictionaryColumns"/>, the low-cardinality
    /// text (the zones: at most 265 values; the constant model_version; the reason codes): each row is then a small index
    /// and the file is smaller. Everything else is PLAIN: the unique ride_id would only fill a dictionary page and fall
    /// back, and the doubles and timestamps are mostly distinct. Min/max statistics are written, as pyarrow writes them,
    /// for the time and the numbers (they cost nothing measurable), but not for the text columns: there Arrow compares
    /// every row's bytes (~25% of the whole write's CPU for the dictionary columns, ~7% for ride_id), and their min/max can
    /// never skip a row group: every group holds most zones, a file holds one model_version, and ride_id's order is the
    /// text's ("2021/02_100000" &lt; "2021/02_99"), not the rows'.
    /// </summary>
    public static WriterProperties Create(params string[] dictionaryColumns)
    {
        using var builder = new WriterPropertiesBuilder();
        builder.Compression(Compression.Snappy).DisableDictionary().DisableStatistics(PredictionColumns.RideId);
        foreach (var column in dictionaryColumns)
        {
            builder.EnableDictionary(column).DisableStatistics(column);
        }

        return builder.Build();
    }
}
