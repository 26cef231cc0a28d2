using StreamPredict.Model.Artifact;
using Node = StreamPredict.Model.Inference.TreeEnsembleEstimator.Node;

namespace StreamPredict.Model.Inference;

/// <summary>Validates one tree's node arrays and appends them, re-based, to the flat node list.</summary>
internal static class TreeCompiler
{
    public static void Append(TreeSpec tree, int treeIndex, int columnCount, List<Node> nodes)
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

        CheckIsTree(tree, where);

        int offset = nodes.Count;
        for (int i = 0; i < count; i++)
        {
            int left = tree.Left[i];
            if (left < 0)
            {
                double value = tree.Value[i];
                if (!double.IsFinite(value))
                {
                    throw new ModelLoadException($"{where} leaf {i} has value {value}, not a finite number");
                }

                nodes.Add(new Node(-1, -1, -1, value));
                continue;
            }

            int feature = tree.Feature[i];
            double threshold = tree.Threshold[i];
            if (feature < 0 || feature >= columnCount)
            {
                throw new ModelLoadException($"{where} node {i} splits on feature {feature}, outside the {columnCount} columns");
            }

            if (double.IsNaN(threshold))
            {
                throw new ModelLoadException($"{where} node {i} has a NaN threshold");
            }

            nodes.Add(new Node(feature, offset + left, offset + tree.Right[i], threshold));
        }
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
