using System.Runtime.InteropServices;
using StreamPredict.Model.Artifact;

namespace StreamPredict.Model.Inference;

/// <summary>All trees' nodes in one flat array; a tree is the index of its root.</summary>
internal sealed class TreeEnsembleEstimator : CompiledEstimator
{
    /// <summary>
    /// Feature is -1 on a leaf, whose output sits in Threshold; child indices are absolute in the flat array.
    /// A categorical split has ZoneSet &gt;= 0 (the offset of its zone bit set) and Feature = its <see cref="ZoneGroup"/>.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal readonly record struct Node(int Feature, int Left, int Right, int ZoneSet, double Threshold);

    private readonly Node[] _nodes;
    private readonly ulong[] _zoneSets;
    private readonly int[] _roots;
    private readonly bool _mean;
    private readonly bool _zones;
    private readonly double _baseScore;
    private readonly double _learningRate;
    private readonly int _distanceColumn;

    /// <summary>
    /// Exact step tables for models without zone columns (see <see cref="DistanceSteps"/>); null while they are being built,
    /// and for good when the model has zone columns or is too large for them. Null means walking, which gives the same bits.
    /// </summary>
    private DistanceSteps? _steps;

    private TreeEnsembleEstimator(Node[] nodes, ulong[] zoneSets, int[] roots, FeatureColumns columns, bool mean, double baseScore, double learningRate)
    {
        _nodes = nodes;
        _zoneSets = zoneSets;
        _roots = roots;
        _distanceColumn = columns.DistanceColumnIndex;
        _zones = columns.HasZoneColumns;
        _mean = mean;
        _baseScore = baseScore;
        _learningRate = learningRate;

        // The tables know only the pair and the distance, so a model with zone columns (and categorical splits) walks.
        // They are built in the background: for the course forest the build walks every tree about 1,300 times, as much
        // CPU as reading the model (about 3 ms at a NativeAOT cold start, bench coldstart --trace), while the first
        // invocation's few rides cost microseconds each by walking. Predictions switch to the tables once they exist.
        var columnCount = columns.Count;
        StepTablesBuilt = _zones ? Task.CompletedTask
            : Task.Run(() => Volatile.Write(ref _steps, DistanceSteps.TryBuild(_nodes, _distanceColumn, columnCount, _roots.Length, Walk)));
    }

    /// <summary>Completes when the step tables are built (or it is known there will be none).</summary>
    internal Task StepTablesBuilt { get; }

    public int TreeCount => _roots.Length;

    /// <summary>True when predictions come from the exact step tables rather than a walk through every tree.</summary>
    internal bool UsesDistanceSteps => Volatile.Read(ref _steps) is not null;

    public override double Predict(in RideColumns ride)
    {
        if (Volatile.Read(ref _steps) is { } steps)
        {
            return steps.Predict(ride.Pair, ride.Distance);
        }

        // Two walkers, chosen once per prediction: a model without zone columns walks exactly as before they existed.
        return _zones
            ? Aggregate(new ZoneWalker(_nodes, _zoneSets, in ride, _distanceColumn, Float32(ride.Distance)))
            : Walk(ride.Pair, ride.Distance);
    }

    /// <summary>A model without zone columns, by walking every tree: the definition the step tables are built from.</summary>
    internal double Walk(int pair, double distance) => Aggregate(new PairWalker(_nodes, pair, _distanceColumn, Float32(distance)));

    // sklearn's trees cast X to float32 before comparing with the float64 threshold; ML.NET's compare float32 to float32.
    private static double Float32(double distance) => (float)distance;

    private double Aggregate<TWalker>(TWalker walker)
        where TWalker : struct, ITreeWalker
    {
        if (_mean)
        {
            double sum = 0;
            foreach (int root in _roots)
            {
                sum += walker.Leaf(root);
            }

            return sum / _roots.Length;
        }

        double raw = _baseScore;
        foreach (int root in _roots)
        {
            raw += _learningRate * walker.Leaf(root);
        }

        return raw;
    }

    private interface ITreeWalker
    {
        /// <summary>The output of the leaf the ride reaches from <paramref name="root"/>.</summary>
        double Leaf(int root);
    }

    /// <summary>Rides of models whose only one-hot group is PU_DO: one column can be 1.</summary>
    private readonly struct PairWalker(Node[] nodes, int pair, int distanceColumn, double distance) : ITreeWalker
    {
        public double Leaf(int root)
        {
            // Locals, so the loop keeps them in registers.
            (Node[] all, int category, int distanceAt, double x) = (nodes, pair, distanceColumn, distance);
            ref readonly Node node = ref all[root];
            while (node.Feature >= 0)
            {
                double value = node.Feature == category ? 1.0 : node.Feature == distanceAt ? x : 0.0;
                node = ref all[value <= node.Threshold ? node.Left : node.Right];
            }

            return node.Threshold;
        }
    }

    /// <summary>Rides of models with zone columns: up to three columns can be 1, and splits may be categorical.</summary>
    private readonly struct ZoneWalker(Node[] nodes, ulong[] zoneSets, in RideColumns ride, int distanceColumn, double distance) : ITreeWalker
    {
        private readonly RideColumns _ride = ride;

        public double Leaf(int root)
        {
            (Node[] all, ulong[] sets, int distanceAt, double x) = (nodes, zoneSets, distanceColumn, distance);
            (int pair, int pickup, int dropoff) = (_ride.Pair, _ride.Pickup, _ride.Dropoff);
            (int pickupZone, int dropoffZone) = (_ride.PickupZone, _ride.DropoffZone);
            ref readonly Node node = ref all[root];
            while (node.Feature >= 0)
            {
                bool left;
                if (node.ZoneSet >= 0)
                {
                    // Right when the ride's zone is in the set, as ML.NET sends a ride right when one listed slot is set.
                    int zone = node.Feature == (int)ZoneGroup.Pickup ? pickupZone : dropoffZone;
                    left = (sets[node.ZoneSet + (zone >> 6)] & (1UL << (zone & 63))) == 0;
                }
                else
                {
                    int feature = node.Feature;
                    double value = feature == pair || feature == pickup || feature == dropoff ? 1.0 : feature == distanceAt ? x : 0.0;
                    left = value <= node.Threshold;
                }

                node = ref all[left ? node.Left : node.Right];
            }

            return node.Threshold;
        }
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
        var zoneSets = new List<ulong>();
        int[] roots = new int[trees.Count];
        for (int t = 0; t < trees.Count; t++)
        {
            roots[t] = nodes.Count;
            TreeCompiler.Append(trees[t] ?? throw new ModelLoadException($"trees[{t}] is null"), t, columns, nodes, zoneSets);
        }

        return new TreeEnsembleEstimator([.. nodes], [.. zoneSets], roots, columns, mean, baseScore, learningRate);
    }
}
