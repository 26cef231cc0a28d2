using System.Globalization;

namespace StreamPredict.Model.Inference;

/// <summary>
/// The compiled feature spec: which column a (PU, DO) pair switches on, which columns the pickup and dropoff zones switch
/// on ("PULocationID={z}", "DOLocationID={z}"), and which column holds the distance.
/// Keys are packed integers so the hot path never formats a string.
/// </summary>
internal sealed class FeatureColumns
{
    public const string CategoryPrefix = "PU_DO=";
    public const string PickupPrefix = "PULocationID=";
    public const string DropoffPrefix = "DOLocationID=";
    public const string DistanceColumn = "trip_distance";

    /// <summary>Pairs of zone ids up to this one are looked up in a table (266 × 266 ints, 283 KB) instead of the dictionary.</summary>
    private const int TableSide = RideValidator.MaxLocationId + 1;

    /// <summary>Bits in one categorical split's zone set: zone ids 0..265 and room for <see cref="NoZone"/>.</summary>
    public const int ZoneSetBits = 320;

    /// <summary>Where a zone id outside 0..265 points in a zone set: a bit no set has.</summary>
    public const int NoZone = ZoneSetBits - 1;

    private readonly Dictionary<long, int> _categoryColumns;

    /// <summary>
    /// Column + 1 per (PU, DO) at [PU × 266 + DO], 0 when unseen. In a 10,000-ride batch the dictionary lookup missed the
    /// cache twice per ride (bucket, then entry) and was ~9% of the handler; the table misses at most once.
    /// </summary>
    private readonly int[] _table = new int[TableSide * TableSide];

    /// <summary>Column + 1 per zone id, 0 when the zone has no column; empty when the model has no zone columns.</summary>
    private readonly int[] _pickupColumns;
    private readonly int[] _dropoffColumns;

    /// <summary>For each zone column: its group and zone id; what a categorical split's column list is compiled from.</summary>
    private readonly Dictionary<int, (ZoneGroup Group, int Zone)> _zoneOfColumn;

    private FeatureColumns(Dictionary<long, int> categoryColumns, Dictionary<int, (ZoneGroup Group, int Zone)> zoneOfColumn, int distanceColumn, int count)
    {
        _categoryColumns = categoryColumns;
        _zoneOfColumn = zoneOfColumn;
        DistanceColumnIndex = distanceColumn;
        Count = count;
        HasZoneColumns = zoneOfColumn.Count > 0;
        _pickupColumns = new int[HasZoneColumns ? TableSide : 0];
        _dropoffColumns = new int[HasZoneColumns ? TableSide : 0];
        foreach (var (column, (group, zone)) in zoneOfColumn)
        {
            (group == ZoneGroup.Pickup ? _pickupColumns : _dropoffColumns)[zone] = column + 1;
        }

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

    /// <summary>Whether any column is a pickup or dropoff zone column; when not, rides are located by their pair alone.</summary>
    public bool HasZoneColumns { get; }

    /// <summary>The columns the ride switches on; the zone lookups are skipped for models without zone columns.</summary>
    public RideColumns Locate(in Ride ride)
    {
        int pair = CategoryColumn(ride.PickupLocationId, ride.DropoffLocationId);
        if (!HasZoneColumns)
        {
            return new RideColumns(pair, -1, -1, NoZone, NoZone, ride.TripDistance);
        }

        int pickup = ZoneIndex(ride.PickupLocationId);
        int dropoff = ZoneIndex(ride.DropoffLocationId);
        return new RideColumns(
            pair,
            pickup == NoZone ? -1 : _pickupColumns[pickup] - 1,
            dropoff == NoZone ? -1 : _dropoffColumns[dropoff] - 1,
            pickup,
            dropoff,
            ride.TripDistance);
    }

    /// <summary>The group and zone id of a zone column; false for any other column.</summary>
    public bool TryGetZone(int column, out ZoneGroup group, out int zone)
    {
        bool found = _zoneOfColumn.TryGetValue(column, out var entry);
        (group, zone) = entry;
        return found;
    }

    private static int ZoneIndex(int zone) => (uint)zone < TableSide ? zone : NoZone;

    /// <summary>The one-hot column for the ride's pair, or -1 when the pair was never seen (it contributes 0).</summary>
    public int CategoryColumn(int pickup, int dropoff) => InTable(pickup, dropoff)
        ? _table[(pickup * TableSide) + dropoff] - 1
        : _categoryColumns.TryGetValue(Pack(pickup, dropoff), out int column) ? column : -1;

    private static bool InTable(int pickup, int dropoff) => (uint)pickup < TableSide && (uint)dropoff < TableSide;

    public static long Pack(int pickup, int dropoff) => ((long)pickup << 32) | (uint)dropoff;

    /// <summary>The one-hot column name of a packed pair, "PU_DO={pu}_{do}": what <see cref="Compile"/> parses back.</summary>
    public static string CategoryName(long key) => string.Create(
        CultureInfo.InvariantCulture, $"{CategoryPrefix}{(int)(key >> 32)}_{(int)key}");

    public static FeatureColumns Compile(IReadOnlyList<string> columns)
    {
        if (columns.Count == 0)
        {
            throw new ModelLoadException("features.columns is empty");
        }

        var categories = new Dictionary<long, int>(columns.Count);
        var zones = new Dictionary<int, (ZoneGroup Group, int Zone)>();
        var zoneColumns = new Dictionary<(ZoneGroup Group, int Zone), int>();
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
            else if (TryParseZone(name, out ZoneGroup group, out int zone))
            {
                if (zone is < RideValidator.MinLocationId or > RideValidator.MaxLocationId)
                {
                    throw new ModelLoadException(
                        $"features.columns[{i}]: \"{name}\" names zone {zone}, outside the TLC zones {RideValidator.MinLocationId}..{RideValidator.MaxLocationId}");
                }

                if (!zoneColumns.TryAdd((group, zone), i))
                {
                    throw new ModelLoadException($"features.columns[{i}]: zone column \"{name}\" appears twice");
                }

                zones.Add(i, (group, zone));
            }
            else
            {
                throw new ModelLoadException(
                    $"features.columns[{i}]: unknown feature \"{name}\"; expected \"{CategoryPrefix}{{PU}}_{{DO}}\", \"{PickupPrefix}{{PU}}\", \"{DropoffPrefix}{{DO}}\" or \"{DistanceColumn}\"");
            }
        }

        return new FeatureColumns(categories, zones, distance, columns.Count);
    }

    private static bool TryParseZone(string name, out ZoneGroup group, out int zone)
    {
        (group, string prefix) = name.StartsWith(PickupPrefix, StringComparison.Ordinal) ? (ZoneGroup.Pickup, PickupPrefix)
            : name.StartsWith(DropoffPrefix, StringComparison.Ordinal) ? (ZoneGroup.Dropoff, DropoffPrefix)
            : (default, "");
        zone = 0;
        return prefix.Length > 0
            && int.TryParse(name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out zone);
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

/// <summary>Which of the ride's zones a zone column (or a categorical split over zone columns) looks at.</summary>
internal enum ZoneGroup
{
    Pickup,
    Dropoff,
}
