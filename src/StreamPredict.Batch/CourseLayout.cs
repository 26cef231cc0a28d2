using System.Globalization;
using StreamPredict.Data.Tlc;
using StreamPredict.Model;

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

    /// <summary>
    /// Scoring one month of the layout: the TLC file under <paramref name="inputRoot"/>, written to its partition under
    /// <paramref name="outputRoot"/>, or into <paramref name="database"/> (a postgresql:// URL) when one is given.
    /// </summary>
    public static ScoringRequest Request(DataLocation inputRoot, DataLocation? outputRoot, string? database, TlcTaxiType taxiType, ScoringMonth month,
        CompiledModel model, string runId)
    {
        ArgumentNullException.ThrowIfNull(inputRoot);
        return new ScoringRequest
        {
            Input = inputRoot.Child(InputName(taxiType, month)),
            Output = database ?? (outputRoot ?? throw new ArgumentNullException(nameof(outputRoot))).Child(OutputPath(taxiType, month, runId)).ToString(),
            Model = model,
            RunId = runId,
            Month = month,
            TaxiType = taxiType,
        };
    }
}
