using StreamPredict.Model.Artifact;
using StreamPredict.Model.Formats.Sklearn;

namespace StreamPredict.Model.Formats.Xgboost;

/// <summary>
/// XGBoost trees in our engine's terms, exactly. Our engine sends x &lt;= threshold left, with x cast to float32 and a
/// one-hot column worth 1 for the ride's pair and 0 otherwise. XGBoost sends x &lt; t left (both float32), and a missing
/// x to its default side. For float32 x, x &lt; t is x &lt;= the float32 just below t, so that is the threshold.
/// Missing values: a DictVectorizer's sparse matrix (its default, and the course's) stores only the ride's own
/// one-hot column and trip_distance, so XGBoost sees every other one-hot column as missing. A one-hot split therefore
/// has two outcomes, present (x = 1) or missing; they map to 1 and 0 with the children placed so that each lands
/// where XGBoost sends it. trip_distance is always present (DictVectorizer stores it even when 0). With a dense
/// DictVectorizer (sparse=False) every column is present and the plain threshold rule applies throughout.
/// </summary>
internal static class XgboostTrees
{
    public static EstimatorSpec ToSpec(XgboostBooster booster, DictVectorizerColumns columns)
    {
        if (booster.FeatureCount > columns.Columns.Count)
        {
            throw new ModelLoadException(
                $"the XGBoost model was trained on {booster.FeatureCount} features but the DictVectorizer has {columns.Columns.Count} columns; are they from the same run?");
        }

        int distance = IndexOf(columns.Columns, Inference.FeatureColumns.DistanceColumn);
        var trees = new List<TreeSpec>(booster.Trees.Count);
        for (int t = 0; t < booster.Trees.Count; t++)
        {
            trees.Add(ToSpec(booster.Trees[t], t, columns, distance));
        }

        return new EstimatorSpec
        {
            Kind = EstimatorSpec.TreeEnsembleKind,
            Split = EstimatorSpec.LessOrEqualSplit,
            Aggregation = EstimatorSpec.SumAggregation,
            BaseScore = booster.BaseScore,
            LearningRate = 1.0,
            Trees = trees,
        };
    }

    private static TreeSpec ToSpec(XgboostTree tree, int index, DictVectorizerColumns columns, int distanceColumn)
    {
        int count = tree.Left.Length;
        var spec = new TreeSpecArrays(count);
        for (int i = 0; i < count; i++)
        {
            if (tree.Left[i] == -1)
            {
                spec.Feature[i] = -1;
                spec.Left[i] = spec.Right[i] = -1;
                spec.Value[i] = tree.SplitCondition[i];
                continue;
            }

            int feature = tree.SplitIndex[i];
            if (feature < 0 || feature >= columns.Columns.Count)
            {
                throw new ModelLoadException(
                    $"XGBoost tree {index} node {i} splits on feature {feature}, outside the DictVectorizer's {columns.Columns.Count} columns");
            }

            spec.Feature[i] = feature;
            float condition = tree.SplitCondition[i];
            (int left, int right) = (tree.Left[i], tree.Right[i]);
            if (feature == distanceColumn || !columns.Sparse)
            {
                (spec.Left[i], spec.Right[i], spec.Threshold[i]) = (left, right, BelowAsDouble(condition));
                continue;
            }

            bool presentLeft = 1f < condition;
            bool missingLeft = tree.DefaultLeft[i];
            (spec.Left[i], spec.Right[i], spec.Threshold[i]) = (presentLeft, missingLeft) switch
            {
                (true, true) => (left, right, 1.0),      // 0 and 1 both go left
                (false, false) => (left, right, -1.0),   // both go right
                (false, true) => (left, right, 0.5),     // missing (0) left, present (1) right
                (true, false) => (right, left, 0.5),     // missing (0) to XGBoost's right child, present (1) to its left
            };
        }

        return spec.ToSpec();
    }

    /// <summary>The largest float32 below <paramref name="condition"/>, so that x &lt; condition ⇔ x &lt;= it for any float32 x.</summary>
    private static double BelowAsDouble(float condition) =>
        condition == float.MinValue ? double.MinValue : MathF.BitDecrement(condition);

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (int i = 0; i < columns.Count; i++)
        {
            if (columns[i] == name)
            {
                return i;
            }
        }

        return -1;
    }
}
