using System.Globalization;

namespace StreamPredict.Model.Inference;

/// <summary>
/// The compiled feature spec: which column a (PU, DO) pair switches on, and which column holds the distance.
/// Keys are packed integers so the hot path never formats a string.
/// </summary>
internal sealed class FeatureColumns
{
    public const string CategoryPrefix = "PU_DO=";
    public const string DistanceColumn = "trip_distance";

    private readonly Dictionary<long, int> _categoryColumns;

    private FeatureColumns(Dictionary<long, int> categoryColumns, int distanceColumn, int count)
    {
        _categoryColumns = categoryColumns;
        DistanceColumnIndex = distanceColumn;
        Count = count;
    }

    /// <summary>Index of "trip_distance", or -1 when the model does not use it.</summary>
    public int DistanceColumnIndex { get; }

    public int Count { get; }

    public int CategoryCount => _categoryColumns.Count;

    /// <summary>The one-hot column for the ride's pair, or -1 when the pair was never seen (it contributes 0).</summary>
    public int CategoryColumn(int pickup, int dropoff) =>
        _categoryColumns.TryGetValue(Pack(pickup, dropoff), out int column) ? column : -1;

    public static long Pack(int pickup, int dropoff) => ((long)pickup << 32) | (uint)dropoff;

    public static FeatureColumns Compile(IReadOnlyList<string> columns)
    {
        if (columns.Count == 0)
        {
            throw new ModelLoadException("features.columns is empty");
        }

        var categories = new Dictionary<long, int>(columns.Count);
        int distance = -1;
        for (int i = 0; i < columns.Count; i++)
        {
            string name = columns[i] ?? throw new ModelLoadException($"features.columns[{i}] is null");
            if (name == DistanceColumn)
            {
                if (distance >= 0)
                {
                    throw new ModelLoadException($"features.columns[{i}]: \"{DistanceColumn}\" appears twice");
                }

                distance = i;
            }
            else if (TryParseCategory(name, out int pickup, out int dropoff))
            {
                if (!categories.TryAdd(Pack(pickup, dropoff), i))
                {
                    throw new ModelLoadException($"features.columns[{i}]: category \"{name}\" appears twice");
                }
            }
            else
            {
                throw new ModelLoadException(
                    $"features.columns[{i}]: unknown feature \"{name}\"; expected \"{CategoryPrefix}{{PU}}_{{DO}}\" or \"{DistanceColumn}\"");
            }
        }

        return new FeatureColumns(categories, distance, columns.Count);
    }

    private static bool TryParseCategory(string name, out int pickup, out int dropoff)
    {
        pickup = dropoff = 0;
        if (!name.StartsWith(CategoryPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        ReadOnlySpan<char> pair = name.AsSpan(CategoryPrefix.Length);
        int separator = pair.IndexOf('_');
        return separator > 0
            && int.TryParse(pair[..separator], NumberStyles.None, CultureInfo.InvariantCulture, out pickup)
            && int.TryParse(pair[(separator + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out dropoff);
    }
}
