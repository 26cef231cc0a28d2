using Microsoft.ML.Trainers.FastTree;
using StreamPredict.Model.Artifact;

namespace StreamPredict.Training.MlNet;

/// <summary>
/// Turns ML.NET's trained regression trees (FastTree's or LightGBM's) into our tree_ensemble estimator: aggregation
/// "sum" onto the ensemble's bias, learning rate 1 (ML.NET's leaf values already carry the shrinkage).
/// </summary>
/// <remarks>
/// ML.NET's trees, as its own predictor walks them: node 0 is the root; a child index &lt; 0 is the leaf ~index; a numeric
/// split sends x &lt;= threshold (both float32) to LeftChild, else to RightChild; a categorical split sends a ride to
/// RightChild when any slot it lists is &gt; 0, else to LeftChild. The ensemble's output is the sum of the leaves reached.
/// Slots are our feature columns one for one (<see cref="RideFeatureLayout"/>).
/// </remarks>
internal static class TreeEnsembleConverter
{
    public static EstimatorSpec Convert(RegressionTreeEnsemble ensemble, int columnCount)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        if (ensemble.Trees.Count == 0)
        {
            throw new InvalidOperationException("ML.NET trained no trees; there is nothing to convert");
        }

        var trees = new List<TreeSpec>(ensemble.Trees.Count);
        for (int t = 0; t < ensemble.Trees.Count; t++)
        {
            trees.Add(Convert(ensemble.Trees[t], ensemble.TreeWeights[t], columnCount, t));
        }

        return new EstimatorSpec
        {
            Kind = EstimatorSpec.TreeEnsembleKind,
            Split = EstimatorSpec.LessOrEqualSplit,
            Aggregation = EstimatorSpec.SumAggregation,
            BaseScore = ensemble.Bias,
            LearningRate = 1,
            Trees = trees,
        };
    }

    private static TreeSpec Convert(RegressionTree tree, double weight, int columnCount, int index)
    {
        int count = tree.NumberOfNodes + tree.NumberOfLeaves;
        int[] feature = new int[count];
        double[] threshold = new double[count];
        int[] left = new int[count];
        int[] right = new int[count];
        double[] value = new double[count];
        var categories = new IReadOnlyList<int>?[count];
        bool anyCategorical = false;

        // Depth-first preorder, as sklearn lays out its trees: a node's left child comes right after it, so a walk down
        // the tree reads neighbouring memory. (ML.NET numbers splits in the order it made them and puts every leaf last.)
        // Each entry is an ML.NET node (>= 0: split, < 0: leaf ~n) and where its index must be written in its parent.
        var pending = new Stack<(int MlNetNode, int[]? ParentLinks, int ParentIndex)>();
        pending.Push((tree.NumberOfNodes == 0 ? ~0 : 0, null, -1));
        int next = 0;
        while (pending.Count > 0)
        {
            (int node, int[]? links, int parent) = pending.Pop();
            int i = next++;
            if (links is not null)
            {
                links[parent] = i;
            }

            if (node < 0)
            {
                (feature[i], left[i], right[i]) = (-1, -1, -1);
                value[i] = weight * tree.LeafValues[~node];
                continue;
            }

            if (tree.CategoricalSplitFlags[node])
            {
                int[] slots = [.. tree.GetCategoricalSplitFeaturesAt(node)];
                if (slots.Length == 0 || slots.Any(slot => slot < 0 || slot >= columnCount))
                {
                    throw new InvalidOperationException(
                        $"tree {index} node {node}: a categorical split on slots [{string.Join(",", slots)}], outside the {columnCount} feature slots");
                }

                feature[i] = -1;
                categories[i] = slots;
                anyCategorical = true;
            }
            else
            {
                feature[i] = tree.NumericalSplitFeatureIndexes[node];
                threshold[i] = tree.NumericalSplitThresholds[node];
            }

            // Pushed right first, so the left subtree is numbered first.
            pending.Push((tree.RightChild[node], right, i));
            pending.Push((tree.LeftChild[node], left, i));
        }

        return new TreeSpec
        {
            Feature = feature,
            Threshold = threshold,
            Left = left,
            Right = right,
            Value = value,
            Categories = anyCategorical ? categories : null,
        };
    }
}
