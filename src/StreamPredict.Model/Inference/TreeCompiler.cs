using StreamPredict.Model.Artifact;
using Node = StreamPredict.Model.Inference.TreeEnsembleEstimator.Node;

namespace StreamPredict.Model.Inference;

/// <summary>Validates one tree's node arrays and appends them, re-based, to the flat node list.</summary>
internal static class TreeCompiler
{
    private const int ZoneSetWords = FeatureColumns.ZoneSetBits / 64;

    /// <param name="zoneSets">The categorical splits' zone sets, <see cref="ZoneSetWords"/> words each; a node holds its set's offset.</param>
    public static void Append(TreeSpec tree, int treeIndex, FeatureColumns columns, List<Node> nodes, List<ulong> zoneSets)
    {
        int count = tree.Left.Count;
        string where = $"trees[{treeIndex}]";
        if (count == 0)
        {
            throw new ModelLoadException($"{where} has no nodes");
        }

        if (tree.Right.Count != count || tree.Feature.Count != count || tree.Threshold.Count != count || tree.Value.Count != count)
        {
            throw new ModelLoadException(
                $"{where} arrays differ in length: left {count}, right {tree.Right.Count}, feature {tree.Feature.Count}, threshold {tree.Threshold.Count}, value {tree.Value.Count}");
        }

        if (tree.Categories is { } categories && categories.Count != count)
        {
            throw new ModelLoadException($"{where} has {categories.Count} categories entries for {count} nodes; there must be one per node (null for a numeric split or a leaf)");
        }

        CheckIsTree(tree, where);

        int offset = nodes.Count;
        for (int i = 0; i < count; i++)
        {
            int left = tree.Left[i];
            IReadOnlyList<int>? split = tree.Categories?[i];
            if (left < 0)
            {
                double value = tree.Value[i];
                if (!double.IsFinite(value))
                {
                    throw new ModelLoadException($"{where} leaf {i} has value {value}, not a finite number");
                }

                if (split is not null)
                {
                    throw new ModelLoadException($"{where} leaf {i} has categories; only a split can have them");
                }

                nodes.Add(new Node(-1, -1, -1, -1, value));
                continue;
            }

            if (split is not null)
            {
                (ZoneGroup group, int set) = CompileZoneSet(split, columns, $"{where} node {i}", tree.Feature[i], zoneSets);
                nodes.Add(new Node((int)group, offset + left, offset + tree.Right[i], set, 0));
                continue;
            }

            int feature = tree.Feature[i];
            double threshold = tree.Threshold[i];
            if (feature < 0 || feature >= columns.Count)
            {
                throw new ModelLoadException($"{where} node {i} splits on feature {feature}, outside the {columns.Count} columns");
            }

            if (double.IsNaN(threshold))
            {
                throw new ModelLoadException($"{where} node {i} has a NaN threshold");
            }

            nodes.Add(new Node(feature, offset + left, offset + tree.Right[i], -1, threshold));
        }
    }

    // A categorical split lists zone columns of one group; it becomes a bit set over zone ids, so the hot path tests one bit.
    private static (ZoneGroup Group, int Offset) CompileZoneSet(
        IReadOnlyList<int> split, FeatureColumns columns, string where, int feature, List<ulong> zoneSets)
    {
        if (feature != -1)
        {
            throw new ModelLoadException($"{where} is a categorical split (it has categories) but its feature is {feature}; it must be -1");
        }

        if (split.Count == 0)
        {
            throw new ModelLoadException($"{where} has an empty categories list; a categorical split needs at least one column");
        }

        int offset = zoneSets.Count;
        zoneSets.AddRange(new ulong[ZoneSetWords]);
        ZoneGroup? splitGroup = null;
        foreach (int column in split)
        {
            if (!columns.TryGetZone(column, out ZoneGroup group, out int zone))
            {
                throw new ModelLoadException(
                    $"{where} splits on column {column} as a category; categorical splits take only \"{FeatureColumns.PickupPrefix}…\" or \"{FeatureColumns.DropoffPrefix}…\" columns");
            }

            if (splitGroup is { } first && first != group)
            {
                throw new ModelLoadException($"{where} mixes pickup and dropoff zone columns in one categorical split");
            }

            splitGroup = group;
            ulong bit = 1UL << (zone & 63);
            int word = offset + (zone >> 6);
            if ((zoneSets[word] & bit) != 0)
            {
                throw new ModelLoadException($"{where} lists column {column} twice in its categories");
            }

            zoneSets[word] |= bit;
        }

        return (splitGroup!.Value, offset);
    }

    // Every node must be reached exactly once from the root: rules out cycles, shared subtrees and dangling indices.
    private static void CheckIsTree(TreeSpec tree, string where)
    {
        int count = tree.Left.Count;
        bool[] reached = new bool[count];
        var pending = new Stack<int>();
        pending.Push(0);
        reached[0] = true;
        int reachedCount = 1;
        while (pending.Count > 0)
        {
            int i = pending.Pop();
            int left = tree.Left[i];
            int right = tree.Right[i];
            if (left == -1 && right == -1)
            {
                continue;
            }

            foreach (int child in (ReadOnlySpan<int>)[left, right])
            {
                if (child < 0 || child >= count)
                {
                    throw new ModelLoadException($"{where} node {i} has child index {child}, outside 0..{count - 1} (a leaf has left = right = -1)");
                }

                if (reached[child])
                {
                    throw new ModelLoadException($"{where} node {child} is reached twice (a cycle or a shared subtree)");
                }

                reached[child] = true;
                reachedCount++;
                pending.Push(child);
            }
        }

        if (reachedCount != count)
        {
            throw new ModelLoadException($"{where} has {count - reachedCount} nodes not reachable from the root");
        }
    }
}
