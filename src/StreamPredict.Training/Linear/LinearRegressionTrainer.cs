using StreamPredict.Data.Tlc;
using StreamPredict.Model;
using StreamPredict.Model.Artifact;
using StreamPredict.Model.Inference;

namespace StreamPredict.Training.Linear;

/// <summary>
/// Exact least squares on one-hot(PU_DO) + trip_distance + intercept, identical to sklearn's LinearRegression.
/// </summary>
/// <remarks>
/// That design is rank-deficient (the one-hot columns sum to the intercept column). sklearn solves the centered problem
/// for the minimum-norm solution, which decides what an UNSEEN pair predicts: intercept + b * distance. In closed form:
/// b is the within-pair slope Σ(d − d̄ₚ)(y − ȳₚ) / Σ(d − d̄ₚ)², each pair's effect is aₚ = ȳₚ − b·d̄ₚ, and minimum norm
/// makes the pair weights sum to zero, so the intercept is the unweighted mean of the aₚ and wₚ = aₚ − intercept.
/// </remarks>
public static class LinearRegressionTrainer
{
    public const string Producer = "streampredict LinearRegressionTrainer";

    public static TrainingResult Train(TlcDataset training, TlcDataset? validation = null, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        options ??= new TrainingOptions();
        IReadOnlyList<TripRow> rows = training.Rows;
        if (rows.Count == 0)
        {
            throw new InvalidDataException($"{training.Source} has no trips of 1..60 minutes to train on");
        }

        var pairs = new Dictionary<long, int>();
        int[] pairOfRow = new int[rows.Count];
        var means = new List<(long Count, double Distance, double Duration)>();
        for (int i = 0; i < rows.Count; i++)
        {
            TripRow row = rows[i];
            long key = FeatureColumns.Pack(row.PickupLocationId, row.DropoffLocationId);
            if (!pairs.TryGetValue(key, out int pair))
            {
                pair = pairs.Count;
                pairs.Add(key, pair);
                means.Add((0, 0, 0));
            }

            pairOfRow[i] = pair;
            (long n, double d, double y) = means[pair];
            means[pair] = (n + 1, d + row.TripDistance, y + row.DurationMinutes);
        }

        for (int p = 0; p < means.Count; p++)
        {
            (long n, double d, double y) = means[p];
            means[p] = (n, d / n, y / n);
        }

        // Second pass on within-pair deviations: centering first keeps the products small and exact enough.
        NeumaierSum sxy = default, sxx = default;
        for (int i = 0; i < rows.Count; i++)
        {
            (_, double meanDistance, double meanDuration) = means[pairOfRow[i]];
            double dd = rows[i].TripDistance - meanDistance;
            sxy.Add(dd * (rows[i].DurationMinutes - meanDuration));
            sxx.Add(dd * dd);
        }

        if (sxx.Value == 0)
        {
            throw new InvalidDataException(
                $"{training.Source}: trip_distance never varies within a PU_DO pair, so its weight cannot be separated from the pair weights");
        }

        double slope = sxy.Value / sxx.Value;
        double[] effects = [.. means.Select(m => m.Duration - (slope * m.Distance))];
        NeumaierSum effectSum = default;
        foreach (double effect in effects)
        {
            effectSum.Add(effect);
        }

        double intercept = effectSum.Value / effects.Length;
        ModelArtifact draft = Artifact(pairs, effects, intercept, slope, training, options);
        ScoredArtifact scored = ScoredArtifact.Score(draft, Producer, training, validation);

        return new TrainingResult
        {
            Artifact = scored.Artifact,
            Model = scored.Model,
            TrainRmse = scored.TrainRmse,
            ValidationRmse = scored.ValidationRmse,
            Categories = pairs.Count,
            DistanceWeight = slope,
        };
    }

    /// <summary>Root mean squared error of the model's predictions over the trips, in minutes.</summary>
    public static double Rmse(CompiledModel model, IReadOnlyList<TripRow> rows)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("RMSE needs at least one trip", nameof(rows));
        }

        NeumaierSum squares = default;
        foreach (TripRow row in rows)
        {
            double error = model.Predict(row.Ride) - row.DurationMinutes;
            squares.Add(error * error);
        }

        return Math.Sqrt(squares.Value / rows.Count);
    }

    // Columns in DictVectorizer's order (names sorted ordinally), so artifacts line up with the course's.
    private static ModelArtifact Artifact(
        Dictionary<long, int> pairs, double[] effects, double intercept, double slope, TlcDataset training, TrainingOptions options)
    {
        var columns = pairs
            .Select(pair => (Name: FeatureColumns.CategoryName(pair.Key), Weight: effects[pair.Value] - intercept))
            .Append((Name: FeatureColumns.DistanceColumn, Weight: slope))
            .OrderBy(column => column.Name, StringComparer.Ordinal)
            .ToList();

        return new ModelArtifact
        {
            Name = options.Name,
            Version = options.Version,
            Features = new FeatureSpec { Columns = [.. columns.Select(c => c.Name)] },
            Estimator = new EstimatorSpec
            {
                Kind = EstimatorSpec.LinearKind,
                Intercept = intercept,
                Weights = [.. columns.Select(c => c.Weight)],
            },
            Training = new TrainingMetadata { Producer = Producer, Source = training.Source, Rows = training.Rows.Count },
        };
    }
}
