using ParquetSharp.Schema;
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

    internal static GroupNode Schema(TlcTaxiType taxiType) => ParquetNodes.Root(
        ParquetNodes.Int64(RowIndex),
        ParquetNodes.Text(PredictionColumns.RideId),
        ParquetNodes.Text(ReasonCode),
        ParquetNodes.Text(Reason),
        ParquetNodes.Timestamp(taxiType.PickupColumn(), optional: true),
        ParquetNodes.Timestamp(taxiType.DropoffColumn(), optional: true),
        ParquetNodes.Double(TlcColumns.PickupLocation, optional: true),
        ParquetNodes.Double(TlcColumns.DropoffLocation, optional: true),
        ParquetNodes.Double(TlcColumns.Distance, optional: true));
}
