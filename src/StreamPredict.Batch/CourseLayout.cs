using System.Globalization;
using StreamPredict.Data.Tlc;

namespace StreamPredict.Batch;

/// <summary>
/// The course's file layout: the TLC's input names (<c>{taxi}_tripdata_{YYYY}-{MM}.parquet</c>) and score.py's output
/// partitions (<c>taxi_type={taxi}/year={YYYY}/month={MM}/{run_id}.parquet</c>).
/// </summary>
public static class CourseLayout
{
    public static string InputName(TlcTaxiType taxiType, ScoringMonth month) =>
        string.Create(CultureInfo.InvariantCulture, $"{taxiType.Name()}_tripdata_{month.Year:D4}-{month.Month:D2}.parquet");

    public static string OutputPath(TlcTaxiType taxiType, ScoringMonth month, string runId) =>
        string.Create(CultureInfo.InvariantCulture, $"taxi_type={taxiType.Name()}/year={month.Year:D4}/month={month.Month:D2}/{runId}.parquet");
}
