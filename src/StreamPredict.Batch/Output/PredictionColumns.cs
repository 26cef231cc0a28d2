using Parquet.Schema;
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

    internal static ParquetSchema Schema(TlcTaxiType taxiType) => new(
        new DataField<string>(RideId, nullable: false),
        Timestamp(taxiType.PickupColumn(), nullable: false),
        new DataField<string>(PickupLocation, nullable: false),
        new DataField<string>(DropoffLocation, nullable: false),
        new DataField<double>(ActualDuration, nullable: false),
        new DataField<double>(PredictedDuration, nullable: false),
        new DataField<double>(Diff, nullable: false),
        new DataField<string>(ModelVersion, nullable: false));

    /// <summary>TIMESTAMP(MICROS) without a zone, as pandas writes the TLC's naive New York times.</summary>
    internal static DateTimeDataField Timestamp(string name, bool nullable) =>
        new(name, DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Micros, isNullable: nullable);
}
