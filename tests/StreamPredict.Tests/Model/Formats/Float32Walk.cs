using StreamPredict.Model;
using StreamPredict.Model.Artifact;
using StreamPredict.Model.Inference;

namespace StreamPredict.Tests.Model.Formats;

/// <summary>
/// Walks a converted XGBoost artifact the way our engine does (x &lt;= threshold, one-hot 1 or 0, distance as float32),
/// but adds the leaves in float32 from base_score in tree order, as XGBoost's CPU predictor does. Equal to XGBoost's
/// output bit for bit exactly when every ride takes the same path through every tree.
/// </summary>
internal static class Float32Walk
{
    public static float Predict(ModelArtifact artifact, Ride ride)
    {
        IReadOnlyList<string> columns = artifact.Features.Columns;
        string pair = $"{FeatureColumns.CategoryPrefix}{ride.PickupLocationId}_{ride.DropoffLocationId}";
        float sum = (float)artifact.Estimator.BaseScore!.Value;
        foreach (TreeSpec tree in artifact.Estimator.Trees!)
        {
            int node = 0;
            while (tree.Feature[node] >= 0)
            {
                string column = columns[tree.Feature[node]];
                double x = column == pair ? 1.0 : column == FeatureColumns.DistanceColumn ? (float)ride.TripDistance : 0.0;
                node = x <= tree.Threshold[node] ? tree.Left[node] : tree.Right[node];
            }

            sum += (float)tree.Value[node];
        }

        return sum;
    }
}
