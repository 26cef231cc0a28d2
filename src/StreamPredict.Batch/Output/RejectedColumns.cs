using Parquet.Schema;
using StreamPredict.Data.Tlc;

namespace StreamPredict.Batch.Output;

/// <summary>
/// The rejected file: which row (row_index and the ride_id it would have had), why (reason_code, a stable snake_case code,
/// and reason, a sentence), and the five input fields as read (null where the input had none or could not be read).
/// </summary>
public static class RejectedColumns
{
    public const string RowIndex = "row_index";
    public const string ReasonCode = "reason_code";
    public const string Reason = "reason";

    public static string[] Names(TlcTaxiType taxiType) =>
    [
        RowIndex, PredictionColumns.RideId, ReasonCode, Reason, taxiType.PickupColumn(), taxiType.DropoffColumn(),
        TlcColumns.PickupLocation, TlcColumns.DropoffLocation, TlcColumns.Distance,
    ];

    internal static ParquetSchema Schema(TlcTaxiType taxiType) => new(
        new DataField<long>(RowIndex, nullable: false),
        new DataField<string>(PredictionColumns.RideId, nullable: false),
        new DataField<string>(ReasonCode, nullable: false),
        new DataField<string>(Reason, nullable: false),
        PredictionColumns.Timestamp(taxiType.PickupColumn(), nullable: true),
        PredictionColumns.Timestamp(taxiType.DropoffColumn(), nullable: true),
        new DataField<double>(TlcColumns.PickupLocation, nullable: true),
        new DataField<double>(TlcColumns.DropoffLocation, nullable: true),
        new DataField<double>(TlcColumns.Distance, nullable: true));
}
