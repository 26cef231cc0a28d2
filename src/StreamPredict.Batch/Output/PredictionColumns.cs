using ParquetSharp.Schema;
using StreamPredict.Data.Tlc;

namespace StreamPredict.Batch.Output;

/// <summary>
/// The course's output (04-deployment/batch/score.py, save_results), in its order and with its types: ride_id (string),
/// the pickup timestamp (named after the input's column: lpep_pickup_datetime for green, tpep_ for yellow),
/// PULocationID and DOLocationID (strings, as the course casts them), actual_duration, predicted_duration, diff
/// (= actual − predicted; doubles, minutes) and model_version (the run id).
/// </summary>
public static class PredictionColumns
{
    public const string RideId = "ride_id";
    public const string PickupLocation = "PULocationID";
    public const string DropoffLocation = "DOLocationID";
    public const string ActualDuration = "actual_duration";
    public const string PredictedDuration = "predicted_duration";
    public const string Diff = "diff";
    public const string ModelVersion = "model_version";

    /// <summary>The column names in the course's order.</summary>
    public static string[] Names(TlcTaxiType taxiType) =>
        [RideId, taxiType.PickupColumn(), PickupLocation, DropoffLocation, ActualDuration, PredictedDuration, Diff, ModelVersion];

    /// <summary>All required (never null); the written order is this one.</summary>
    internal static GroupNode Schema(TlcTaxiType taxiType) => ParquetNodes.Root(
        ParquetNodes.Text(RideId),
        ParquetNodes.Timestamp(taxiType.PickupColumn(), optional: false),
        ParquetNodes.Text(PickupLocation),
        ParquetNodes.Text(DropoffLocation),
        ParquetNodes.Double(ActualDuration, optional: false),
        ParquetNodes.Double(PredictedDuration, optional: false),
        ParquetNodes.Double(Diff, optional: false),
        ParquetNodes.Text(ModelVersion));
}
