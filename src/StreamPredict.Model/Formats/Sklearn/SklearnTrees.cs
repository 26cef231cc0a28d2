using StreamPredict.Model.Artifact;
using StreamPredict.Model.Formats.Numpy;
using StreamPredict.Model.Formats.Pickle;

namespace StreamPredict.Model.Formats.Sklearn;

/// <summary>
/// sklearn's fitted trees as our tree specs. A sklearn.tree._tree.Tree pickles as Tree(n_features, n_classes, n_outputs)
/// with the state {max_depth, node_count, nodes, values}: nodes is a record array (left_child, right_child, feature,
/// threshold, impurity, n_node_samples, weighted_n_node_samples, and from sklearn 1.3 missing_go_to_left), values is
/// float64 of shape (node_count, n_outputs, max_n_classes). Fields are read by name, so both layouts work; rides never
/// carry missing values, so missing_go_to_left is not needed. The spec is what src/exporters/export_sklearn.py writes:
/// a leaf has feature -1 and threshold 0, every node keeps its value.
/// </summary>
internal static class SklearnTrees
{
    private const int TreeLeaf = -1;

    public static EstimatorSpec Forest(PickledEstimator forest)
    {
        List<object?> estimators = forest.List("estimators_");
        var trees = new List<TreeSpec>(estimators.Count);
        for (int i = 0; i < estimators.Count; i++)
        {
            trees.Add(FromEstimator(PickledEstimator.From(estimators[i], $"{forest.Where("estimators_")}[{i}]")));
        }

        return Ensemble(EstimatorSpec.MeanAggregation, trees);
    }

    public static EstimatorSpec SingleTree(PickledEstimator tree) => Ensemble(EstimatorSpec.MeanAggregation, [FromEstimator(tree)]);

    public static EstimatorSpec GradientBoosting(PickledEstimator boosting)
    {
        NumpyArray stages = boosting.Array("estimators_");
        if (stages.Objects is null || stages.Shape is not [_, 1])
        {
            throw new ModelLoadException(
                $"{boosting.Where("estimators_")} has shape {stages.ShapeText} of {stages.Dtype}; a single-output regressor has an object array of shape (n_estimators, 1)");
        }

        var trees = new List<TreeSpec>(stages.Objects.Count);
        for (int i = 0; i < stages.Objects.Count; i++)
        {
            trees.Add(FromEstimator(PickledEstimator.From(stages.Objects[i], $"{boosting.Where("estimators_")}[{i}, 0]")));
        }

        return new EstimatorSpec
        {
            Kind = EstimatorSpec.TreeEnsembleKind,
            Split = EstimatorSpec.LessOrEqualSplit,
            Aggregation = EstimatorSpec.SumAggregation,
            BaseScore = InitialPrediction(boosting),
            LearningRate = boosting.Number("learning_rate"),
            Trees = trees,
        };
    }

    // sklearn starts from init_.predict(X): a DummyRegressor's constant, or 0 for init='zero'.
    private static double InitialPrediction(PickledEstimator boosting)
    {
        object? init = boosting.Get("init_");
        if (init is "zero")
        {
            return 0.0;
        }

        PickledEstimator dummy = PickledEstimator.From(init, boosting.Where("init_"));
        if (dummy.ClassName != "DummyRegressor")
        {
            throw new ModelLoadException($"{dummy} is not supported as the initial estimator; only 'zero' and DummyRegressor are");
        }

        NumpyArray constant = dummy.Array("constant_");
        return constant.Length == 1
            ? constant.ToDoubles(dummy.Where("constant_"))[0]
            : throw new ModelLoadException($"{dummy.Where("constant_")} has shape {constant.ShapeText}; a single-output regressor has one constant");
    }

    private static EstimatorSpec Ensemble(string aggregation, List<TreeSpec> trees) => new()
    {
        Kind = EstimatorSpec.TreeEnsembleKind,
        Split = EstimatorSpec.LessOrEqualSplit,
        Aggregation = aggregation,
        Trees = trees,
    };

    private static TreeSpec FromEstimator(PickledEstimator estimator)
    {
        if (estimator.ClassName is not ("DecisionTreeRegressor" or "ExtraTreeRegressor"))
        {
            throw new ModelLoadException($"{estimator} is not a DecisionTreeRegressor or ExtraTreeRegressor");
        }

        string where = estimator.Where("tree_");
        if (estimator.Get("tree_") is not PickleObject { ClassName: "Tree" } tree || tree.State is not PickleDict state)
        {
            throw new ModelLoadException($"{where} is {PickleMachine.Describe(estimator.Get("tree_"))}, not a fitted sklearn.tree._tree.Tree");
        }

        if (tree.Arguments is not [_, _, long outputs] || outputs != 1)
        {
            throw new ModelLoadException($"{where} is not a single-output tree (Tree arguments {PickleMachine.Describe(tree.Arguments)})");
        }

        return ReadNodes(state, where);
    }

    private static TreeSpec ReadNodes(PickleDict state, string where)
    {
        if (!state.TryGet("nodes", out object? nodesValue) || nodesValue is not NumpyArray nodes || nodes.Dtype.Fields is null
            || !state.TryGet("values", out object? valuesValue) || valuesValue is not NumpyArray values)
        {
            throw new ModelLoadException($"{where} has no 'nodes' record array and 'values' array in its state");
        }

        int count = nodes.Length is > 0 and <= int.MaxValue ? (int)nodes.Length
            : throw new ModelLoadException($"{where}.nodes has {nodes.Length} nodes");
        if (values.Shape is not [var rows, 1, 1] || rows != count)
        {
            throw new ModelLoadException(
                $"{where}.values has shape {values.ShapeText}; a regression tree of {count} nodes has ({count}, 1, 1)");
        }

        if (state.TryGet("node_count", out object? nodeCount) && nodeCount is long declared && declared != count)
        {
            throw new ModelLoadException($"{where}.node_count is {declared} but its nodes array has {count}");
        }

        string nodesWhere = $"{where}.nodes";
        long[] left = nodes.FieldAsInt64s("left_child", nodesWhere);
        long[] right = nodes.FieldAsInt64s("right_child", nodesWhere);
        long[] feature = nodes.FieldAsInt64s("feature", nodesWhere);
        double[] threshold = nodes.FieldAsDoubles("threshold", nodesWhere);
        double[] value = values.ToDoubles($"{where}.values");

        var spec = new TreeSpecArrays(count);
        for (int i = 0; i < count; i++)
        {
            bool leaf = left[i] == TreeLeaf;
            spec.Left[i] = ToIndex(left[i], nodesWhere, i);
            spec.Right[i] = ToIndex(right[i], nodesWhere, i);
            spec.Feature[i] = leaf ? -1 : ToIndex(feature[i], nodesWhere, i);
            spec.Threshold[i] = leaf ? 0.0 : threshold[i];
            spec.Value[i] = value[i];
        }

        return spec.ToSpec();
    }

    // Range only: which indices are valid children or features is the tree compiler's check.
    private static int ToIndex(long value, string where, int node) => value is >= int.MinValue and <= int.MaxValue
        ? (int)value
        : throw new ModelLoadException($"{where}[{node}] holds the index {value}, out of range");
}

/// <summary>One tree's parallel arrays while they are filled.</summary>
internal sealed class TreeSpecArrays(int count)
{
    public int[] Feature { get; } = new int[count];
    public double[] Threshold { get; } = new double[count];
    public int[] Left { get; } = new int[count];
    public int[] Right { get; } = new int[count];
    public double[] Value { get; } = new double[count];

    public TreeSpec ToSpec() => new() { Feature = Feature, Threshold = Threshold, Left = Left, Right = Right, Value = Value };
}
