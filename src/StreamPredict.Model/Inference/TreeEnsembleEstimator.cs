using System.Runtime.InteropServices;
using StreamPredict.Model.Artifact;

namespace StreamPredict.Model.Inference;

/// <summary>All trees' nodes in one flat array; a tree is the index of its root.</summary>
internal sealed class TreeEnsembleEstimator : CompiledEstimator
{
    /// <summary>Feature is -1 on a leaf, whose output sits in Threshold; child indices are absolute in the flat array.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal readonly record struct Node(int Feature, int Left, int Right, double Threshold);

    private readonly Node[] _nodes;
    private readonly int[] _roots;
    private readonly bool _mean;
    private readonly double _baseScore;
    private readonly double _learningRate;
    private readonly int _distanceColumn;
    private readonly DistanceSteps? _steps;

    private TreeEnsembleEstimator(Node[] nodes, int[] roots, int distanceColumn, int columnCount, bool mean, double baseScore, double learningRate)
    {
        _distanceColumn = distanceColumn;
        _nodes = nodes;
        _roots = roots;
        _mean = mean;
        _baseScore = baseScore;
        _learningRate = learningRate;
        _steps = DistanceSteps.TryBuild(nodes, distanceColumn, columnCount, roots.Length, Walk);
    }

    public int TreeCount => _roots.Length;

    /// <summary>True when predictions come from the exact step tables rather than a walk through every tree.</summary>
    internal bool UsesDistanceSteps => _steps is not null;

    public override double Predict(int categoryColumn, double distance) =>
        _steps is { } steps ? steps.Predict(categoryColumn, distance) : Walk(categoryColumn, distance);

    /// <summary>The ensemble's prediction by walking every tree: the definition the step tables are built from.</summary>
    internal double Walk(int categoryColumn, double distance)
    {
        // sklearn's trees cast X to float32 before comparing with the float64 threshold.
        double x = (float)distance;
        Node[] nodes = _nodes;
        if (_mean)
        {
            double sum = 0;
            foreach (int root in _roots)
            {
                sum += Leaf(nodes, root, categoryColumn, x);
            }

            return sum / _roots.Length;
        }

        double raw = _baseScore;
        foreach (int root in _roots)
        {
            raw += _learningRate * Leaf(nodes, root, categoryColumn, x);
        }

        return raw;
    }

    private double Leaf(Node[] nodes, int index, int categoryColumn, double distance)
    {
        int distanceColumn = _distanceColumn;
        ref readonly Node node = ref nodes[index];
        while (node.Feature >= 0)
        {
            double value = node.Feature == categoryColumn ? 1.0 : node.Feature == distanceColumn ? distance : 0.0;
            node = ref nodes[value <= node.Threshold ? node.Left : node.Right];
        }

        return node.Threshold;
    }

    public static TreeEnsembleEstimator Compile(EstimatorSpec spec, FeatureColumns columns)
    {
        if (spec.Split != EstimatorSpec.LessOrEqualSplit)
        {
            throw new ModelLoadException($"tree ensemble split \"{spec.Split}\" is not supported; only \"<=\" is");
        }

        bool mean = spec.Aggregation switch
        {
            EstimatorSpec.MeanAggregation => true,
            EstimatorSpec.SumAggregation => false,
            _ => throw new ModelLoadException($"tree ensemble aggregation \"{spec.Aggregation}\" is not \"mean\" or \"sum\""),
        };

        double baseScore = mean ? 0 : spec.BaseScore ?? throw new ModelLoadException("\"sum\" aggregation needs \"base_score\"");
        double learningRate = mean ? 1 : spec.LearningRate ?? throw new ModelLoadException("\"sum\" aggregation needs \"learning_rate\"");
        if (!double.IsFinite(baseScore) || !double.IsFinite(learningRate))
        {
            throw new ModelLoadException($"base_score {baseScore} and learning_rate {learningRate} must be finite");
        }

        IReadOnlyList<TreeSpec> trees = spec.Trees ?? throw new ModelLoadException("tree ensemble has no \"trees\"");
        if (trees.Count == 0)
        {
            throw new ModelLoadException("tree ensemble has no trees");
        }

        var nodes = new List<Node>();
        int[] roots = new int[trees.Count];
        for (int t = 0; t < trees.Count; t++)
        {
            roots[t] = nodes.Count;
            TreeCompiler.Append(trees[t] ?? throw new ModelLoadException($"trees[{t}] is null"), t, columns.Count, nodes);
        }

        return new TreeEnsembleEstimator([.. nodes], roots, columns.DistanceColumnIndex, columns.Count, mean, baseScore, learningRate);
    }
}
