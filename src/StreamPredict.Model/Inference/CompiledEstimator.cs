namespace StreamPredict.Model.Inference;

/// <summary>An estimator over the sparse ride vector: at most one column per one-hot group, and the distance.</summary>
internal abstract class CompiledEstimator
{
    public abstract double Predict(in RideColumns ride);
}
