namespace StreamPredict.Model.Inference;

/// <summary>An estimator over the sparse ride vector: one one-hot column (or none) and the distance.</summary>
internal abstract class CompiledEstimator
{
    /// <param name="categoryColumn">The column set to 1, or -1 for an unseen pair.</param>
    /// <param name="distance">trip_distance in miles.</param>
    public abstract double Predict(int categoryColumn, double distance);
}
