using System.Globalization;
using StreamPredict.Model;
using StreamPredict.Model.Inference;
using StreamPredict.Data.Tlc;
using StreamPredict.Training.Linear;

namespace StreamPredict.Training.MlNet;

/// <summary>
/// Where each feature of a ride sits in ML.NET's Features vector. The slots are exactly our artifact's columns, in the
/// same order, so a split on slot i of a trained tree is a split on features.columns[i] of the converted model.
/// </summary>
/// <remarks>
/// Each one-hot group (pairs, pickup zones, dropoff zones) is one contiguous range of slots, which is what ML.NET needs to
/// treat a group as one categorical feature. Only values seen in training get a slot: an unseen zone or pair sets no
/// slot, in ML.NET and in our engine alike.
/// </remarks>
internal sealed class RideFeatureLayout
{
    private const int ZoneTableSize = RideValidator.MaxLocationId + 1;

    private readonly Dictionary<long, int> _pairSlots;
    private readonly int[] _pickupSlots;
    private readonly int[] _dropoffSlots;

    private RideFeatureLayout(
        List<string> columns, Dictionary<long, int> pairSlots, int[] pickupSlots, int[] dropoffSlots, List<SlotRange> groups)
    {
        Columns = columns;
        _pairSlots = pairSlots;
        _pickupSlots = pickupSlots;
        _dropoffSlots = dropoffSlots;
        Groups = groups;
        DistanceSlot = columns.Count - 1;
    }

    public RideEncoding Encoding { get; private init; }

    /// <summary>The artifact's feature columns, one per slot.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The one-hot groups as inclusive slot ranges, in slot order.</summary>
    public IReadOnlyList<SlotRange> Groups { get; }

    public int DistanceSlot { get; }

    public int Length => Columns.Count;

    /// <summary>Most slots one ride sets: one per group, and the distance.</summary>
    public int MaxActiveSlots => Groups.Count + 1;

    public static RideFeatureLayout Create(IReadOnlyList<TripRow> training, RideEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(training);
        var columns = new List<string>();
        var groups = new List<SlotRange>();
        var pairSlots = new Dictionary<long, int>();
        int[] pickupSlots = NoSlots();
        int[] dropoffSlots = NoSlots();

        if (encoding is RideEncoding.Pairs or RideEncoding.ZonesAndPairs)
        {
            // DictVectorizer's order (names sorted ordinally), as the linear trainer and the course write them.
            var names = training
                .Select(row => FeatureColumns.Pack(row.PickupLocationId, row.DropoffLocationId))
                .Distinct()
                .Select(key => (Key: key, Name: FeatureColumns.CategoryName(key)))
                .OrderBy(pair => pair.Name, StringComparer.Ordinal);
            int start = columns.Count;
            foreach ((long key, string name) in names)
            {
                pairSlots.Add(key, columns.Count);
                columns.Add(name);
            }

            groups.Add(new SlotRange(start, columns.Count - 1));
        }

        if (encoding is RideEncoding.Zones or RideEncoding.ZonesAndPairs)
        {
            AddZoneGroup(training.Select(row => row.PickupLocationId), FeatureColumns.PickupPrefix, pickupSlots, columns, groups);
            AddZoneGroup(training.Select(row => row.DropoffLocationId), FeatureColumns.DropoffPrefix, dropoffSlots, columns, groups);
        }

        columns.Add(FeatureColumns.DistanceColumn);
        return new RideFeatureLayout(columns, pairSlots, pickupSlots, dropoffSlots, groups) { Encoding = encoding };
    }

    /// <summary>
    /// The layout whose slots are these artifact columns: a converted model's own columns give back the layout it was
    /// trained with. Each one-hot group must be one contiguous run, and trip_distance the last column.
    /// </summary>
    public static RideFeatureLayout FromColumns(IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0 || columns[^1] != FeatureColumns.DistanceColumn)
        {
            throw new ArgumentException($"the last column must be \"{FeatureColumns.DistanceColumn}\"", nameof(columns));
        }

        var pairSlots = new Dictionary<long, int>();
        int[] pickupSlots = NoSlots();
        int[] dropoffSlots = NoSlots();
        var groups = new List<SlotRange>();
        string? groupPrefix = null;
        for (int slot = 0; slot < columns.Count - 1; slot++)
        {
            string name = columns[slot];
            string prefix = Prefix(name);
            string value = name[prefix.Length..];
            if (prefix != groupPrefix)
            {
                if (groups.Exists(group => Prefix(columns[group.Start]) == prefix))
                {
                    throw new ArgumentException($"column {slot} (\"{name}\"): the {prefix}… columns must be one contiguous run", nameof(columns));
                }

                groups.Add(new SlotRange(slot, slot));
                groupPrefix = prefix;
            }

            groups[^1] = groups[^1] with { End = slot };
            if (prefix == FeatureColumns.CategoryPrefix)
            {
                string[] zones = value.Split('_');
                pairSlots.Add(FeatureColumns.Pack(Zone(zones[0], name), Zone(zones[^1], name)), slot);
            }
            else
            {
                (prefix == FeatureColumns.PickupPrefix ? pickupSlots : dropoffSlots)[Zone(value, name)] = slot;
            }
        }

        RideEncoding encoding = pairSlots.Count == 0 ? RideEncoding.Zones : groups.Count == 1 ? RideEncoding.Pairs : RideEncoding.ZonesAndPairs;
        return new RideFeatureLayout([.. columns], pairSlots, pickupSlots, dropoffSlots, groups) { Encoding = encoding };
    }

    private static string Prefix(string column) =>
        column.StartsWith(FeatureColumns.CategoryPrefix, StringComparison.Ordinal) ? FeatureColumns.CategoryPrefix
        : column.StartsWith(FeatureColumns.PickupPrefix, StringComparison.Ordinal) ? FeatureColumns.PickupPrefix
        : column.StartsWith(FeatureColumns.DropoffPrefix, StringComparison.Ordinal) ? FeatureColumns.DropoffPrefix
        : throw new ArgumentException($"column \"{column}\" is not a PU_DO, PULocationID or DOLocationID one-hot column", nameof(column));

    private static int Zone(string text, string column) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int zone) && zone < ZoneTableSize
            ? zone
            : throw new ArgumentException($"column \"{column}\" does not name a zone 0..{ZoneTableSize - 1}", nameof(column));

    /// <summary>Writes the ride's active slots (ascending) and their values; returns how many there are.</summary>
    public int Fill(in Ride ride, Span<int> indices, Span<float> values)
    {
        int count = 0;
        if (_pairSlots.TryGetValue(FeatureColumns.Pack(ride.PickupLocationId, ride.DropoffLocationId), out int pair))
        {
            indices[count] = pair;
            values[count++] = 1;
        }

        if (ZoneSlot(_pickupSlots, ride.PickupLocationId) is int pickup and >= 0)
        {
            indices[count] = pickup;
            values[count++] = 1;
        }

        if (ZoneSlot(_dropoffSlots, ride.DropoffLocationId) is int dropoff and >= 0)
        {
            indices[count] = dropoff;
            values[count++] = 1;
        }

        indices[count] = DistanceSlot;
        values[count++] = (float)ride.TripDistance;
        return count;
    }

    private static int ZoneSlot(int[] slots, int zone) => (uint)zone < (uint)slots.Length ? slots[zone] : -1;

    private static void AddZoneGroup(IEnumerable<int> zones, string prefix, int[] slots, List<string> columns, List<SlotRange> groups)
    {
        int start = columns.Count;
        foreach (int zone in zones.Where(zone => (uint)zone < ZoneTableSize).Distinct().Order())
        {
            slots[zone] = columns.Count;
            columns.Add(string.Create(CultureInfo.InvariantCulture, $"{prefix}{zone}"));
        }

        groups.Add(new SlotRange(start, columns.Count - 1));
    }

    private static int[] NoSlots()
    {
        int[] slots = new int[ZoneTableSize];
        Array.Fill(slots, -1);
        return slots;
    }
}

/// <summary>An inclusive range of slots: one one-hot group.</summary>
internal readonly record struct SlotRange(int Start, int End);
