namespace StreamPredict.Model.Inference;

/// <summary>
/// An exact shortcut for tree ensembles over this model's features: one one-hot PU_DO column and trip_distance. With the
/// pair fixed, every split on a one-hot column goes one known way, so the whole ensemble is a step function of the
/// distance whose steps sit at the ensemble's distance thresholds. Each (pair, step) value is computed once, by the tree
/// walk itself at a distance inside the step, so a prediction here is bit-for-bit the walk's: a binary search over the
/// thresholds instead of a walk through every tree. The course forest (100 trees, 6,172 nodes) splits on 14 pairs and 86
/// distance thresholds: 15 tables of 87 steps, built in the background after load (about 3 ms of CPU at a NativeAOT cold start;
/// the ensemble walks its trees until then).
/// </summary>
internal sealed class DistanceSteps
{
    /// <summary>Above this many (table × step × tree) walks at load time the ensemble keeps walking its trees instead.</summary>
    private const long MaxBuildWalks = 4_000_000;

    private readonly double[] _thresholds;
    private readonly int[] _tableOfColumn;
    private readonly double[] _values;
    private readonly int _steps;

    private DistanceSteps(double[] thresholds, int[] tableOfColumn, double[] values)
    {
        _thresholds = thresholds;
        _tableOfColumn = tableOfColumn;
        _values = values;
        _steps = thresholds.Length + 1;
    }

    /// <param name="walk">The ensemble's own prediction by walking the trees: (category column or -1, distance) → output.</param>
    public static DistanceSteps? TryBuild(ReadOnlySpan<TreeEnsembleEstimator.Node> nodes, int distanceColumn, int columnCount, int treeCount, Func<int, double, double> walk)
    {
        var thresholds = new SortedSet<double>();
        var splitColumns = new SortedSet<int>();
        foreach (var node in nodes)
        {
            if (node.Feature < 0)
            {
                continue;
            }

            if (node.Feature == distanceColumn)
            {
                thresholds.Add(node.Threshold);
            }
            else
            {
                splitColumns.Add(node.Feature);
            }
        }

        var steps = thresholds.Count + 1;
        var tables = splitColumns.Count + 1;
        if ((long)tables * steps * treeCount > MaxBuildWalks)
        {
            return null;
        }

        // Table 0 serves every pair no tree splits on (and unseen pairs, column -1): all one-hot splits go "0".
        var tableOfColumn = new int[columnCount + 1];
        var columns = new int[tables];
        columns[0] = -1;
        var table = 1;
        foreach (var column in splitColumns)
        {
            tableOfColumn[column + 1] = table;
            columns[table++] = column;
        }

        var bounds = thresholds.ToArray();
        var representatives = Representatives(bounds);
        var values = new double[tables * steps];
        for (var t = 0; t < tables; t++)
        {
            for (var s = 0; s < steps; s++)
            {
                values[(t * steps) + s] = walk(columns[t], representatives[s]);
            }
        }

        return new DistanceSteps(bounds, tableOfColumn, values);
    }

    public double Predict(int categoryColumn, double distance)
    {
        // The walk compares the distance cast to float32 (as sklearn does), so the step is chosen on the same value.
        double x = (float)distance;
        var thresholds = _thresholds;
        int low = 0, high = thresholds.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (x <= thresholds[middle])
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        // NaN compares false everywhere, so it lands in the last step, as in the walk (right at every distance split).
        return _values[(_tableOfColumn[categoryColumn + 1] * _steps) + low];
    }

    /// <summary>
    /// A float32 distance inside each step: step k holds the x with thresholds[k-1] &lt; x &lt;= thresholds[k] (the last
    /// step, x above every threshold). A step no float32 falls in is never chosen, and any value does for it.
    /// </summary>
    private static double[] Representatives(double[] thresholds)
    {
        var representatives = new double[thresholds.Length + 1];
        for (var k = 0; k < thresholds.Length; k++)
        {
            var f = (float)thresholds[k];
            representatives[k] = f > thresholds[k] ? MathF.BitDecrement(f) : f;
        }

        if (thresholds.Length == 0)
        {
            return representatives;
        }

        var last = (float)thresholds[^1];
        while (last <= thresholds[^1] && !float.IsPositiveInfinity(last))
        {
            last = MathF.BitIncrement(last);
        }

        representatives[^1] = last;
        return representatives;
    }
}
