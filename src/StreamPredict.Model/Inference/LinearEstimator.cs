using StreamPredict.Model.Artifact;

namespace StreamPredict.Model.Inference;

internal sealed class LinearEstimator : CompiledEstimator
{
    private readonly double[] _weights;
    private readonly double _intercept;
    private readonly double _distanceWeight;

    private LinearEstimator(double[] weights, double intercept, double distanceWeight)
    {
        _weights = weights;
        _intercept = intercept;
        _distanceWeight = distanceWeight;
    }

    // Same summation order as sklearn's sparse X @ coef + intercept: the one-hot columns sort before trip_distance.
    // Without zone columns the zone term is +0.0, so a pair-only model computes exactly what it always did.
    public override double Predict(in RideColumns ride) =>
        (((ride.Pair >= 0 ? _weights[ride.Pair] : 0.0) + ZoneWeights(in ride)) + (_distanceWeight * ride.Distance)) + _intercept;

    private double ZoneWeights(in RideColumns ride) =>
        (ride.Pickup >= 0 ? _weights[ride.Pickup] : 0.0) + (ride.Dropoff >= 0 ? _weights[ride.Dropoff] : 0.0);

    public static LinearEstimator Compile(EstimatorSpec spec, FeatureColumns columns)
    {
        double intercept = spec.Intercept ?? throw new ModelLoadException("linear estimator has no \"intercept\"");
        if (!double.IsFinite(intercept))
        {
            throw new ModelLoadException($"linear estimator intercept {intercept} is not finite");
        }

        IReadOnlyList<double> weights = spec.Weights ?? throw new ModelLoadException("linear estimator has no \"weights\"");
        if (weights.Count != columns.Count)
        {
            throw new ModelLoadException(
                $"linear estimator has {weights.Count} weights but features.columns has {columns.Count} columns");
        }

        double[] compiled = new double[weights.Count];
        for (int i = 0; i < compiled.Length; i++)
        {
            compiled[i] = weights[i];
            if (!double.IsFinite(compiled[i]))
            {
                throw new ModelLoadException($"linear estimator weights[{i}] is {compiled[i]}, not a finite number");
            }
        }

        double distanceWeight = columns.DistanceColumnIndex >= 0 ? compiled[columns.DistanceColumnIndex] : 0.0;
        return new LinearEstimator(compiled, intercept, distanceWeight);
    }
}
