using System.Globalization;

namespace StreamPredict.Model.Inference;

/// <summary>
/// The compiled feature spec: which column a (PU, DO) pair switches on, and which column holds the distance.
/// Keys are packed integers so the hot path never formats a string.
/// </summary>
public sealed class FeatureColumns
{
    public const string CategoryPrefix = "PU_DO=";
    public const string DistanceColumn = "trip_distance";

    /// <summary>Pairs of zone ids up to this one are looked up in a table (266 × 266 ints, 283 KB) instead of the dictionary.</summary>
    private const int TableSide = RideValidator.MaxLocationId + 1;

    private readonly Dictionary<long, int> _categoryColumns;

    /// <summary>
    /// Column + 1 per (PU, DO) at [PU × 266 + DO], 0 when unseen. In a 10,000-ride batch the dictionary lookup missed the
    /// cache twice per ride (bucket, then entry) and was ~9% of the handler; the table misses at most once.
    /// </summary>
    private readonly int[] _table = new int[TableSide * TableSide];

    private FeatureColumns(Dictionary<long, int> categoryColumns, int distanceColumn, int count)
    {
        _categoryColumns = categoryColumns;
        DistanceColumnIndex = distanceColumn;
        Count = count;
        foreach (var (pair, column) in categoryColumns)
        {
            var (pickup, dropoff) = ((int)(pair >> 32), (int)(uint)pair);
            if (InTable(pickup, dropoff))
            {
                _table[(pickup * TableSide) + dropoff] = column + 1;
            }
        }
    }

    /// <summary>Index of "trip_distance", or -1 when the model does not use it.</summary>
    public int DistanceColumnIndex { get; }

    public int Count { get; }

    public int CategoryCount => _categoryColumns.Count;

    /// <summary>The one-hot column for the ride's pair, or -1 when the pair was never seen (it contributes 0).</summary>
    public int CategoryColumn(int pickup, int dropoff) => InTable(pickup, dropoff)
        ? _table[(pickup * TableSide) + dropoff] - 1
        : _categoryColumns.TryGetValue(Pack(pickup, dropoff), out int column) ? column : -1;

    private static bool InTable(int pickup, int dropoff) => (uint)pickup < TableSide && (uint)dropoff < TableSide;

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
