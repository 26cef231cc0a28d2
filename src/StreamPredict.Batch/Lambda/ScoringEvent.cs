using System.Globalization;
using System.Text.Json;
using StreamPredict.Data.Tlc;

namespace StreamPredict.Batch.Lambda;

/// <summary>
/// The invocation event: <c>{"taxi_type": "green", "year": 2021, "month": 2, "run_id": "…"}</c>, as the Step Functions
/// backfill sends it; or <c>{"taxi_type": "green", "run_date": "2021-03-01T05:00:00Z"}</c>, as the monthly schedule sends
/// it, which scores the month before the run date like the course's flow. run_id is optional.
/// </summary>
public sealed record ScoringEvent(TlcTaxiType TaxiType, ScoringMonth Month, string? RunId)
{
    public static ScoringEvent Parse(ReadOnlySpan<byte> json)
    {
        string? taxi = null, runDate = null, runId = null;
        int? year = null, month = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Invalid("the event is not a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "taxi_type":
                        taxi = String(ref reader, name);
                        break;
                    case "run_date":
                        runDate = String(ref reader, name);
                        break;
                    case "run_id":
                        runId = reader.TokenType == JsonTokenType.Null ? null : String(ref reader, name);
                        break;
                    case "year":
                        year = Integer(ref reader, name);
                        break;
                    case "month":
                        month = Integer(ref reader, name);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
        }
        catch (JsonException exception)
        {
            throw Invalid($"the event is not JSON: {exception.Message}");
        }

        if (!TlcTaxiTypes.TryParse(taxi, out var taxiType))
        {
            throw Invalid(taxi is null ? "\"taxi_type\" is missing (green or yellow)" : $"\"taxi_type\" '{taxi}' is not green or yellow");
        }

        return new ScoringEvent(taxiType, MonthOf(year, month, runDate), runId);
    }

    private static ScoringMonth MonthOf(int? year, int? month, string? runDate)
    {
        if (year is { } y && month is { } m)
        {
            return ScoringMonth.TryCreate(y, m, out var scoring) ? scoring : throw Invalid($"year {y} and month {m} are not a month");
        }

        if (year is not null || month is not null)
        {
            throw Invalid("\"year\" and \"month\" go together");
        }

        if (runDate is null)
        {
            throw Invalid("give \"year\" and \"month\", or \"run_date\" (then the month before it is scored)");
        }

        return DateTime.TryParse(runDate, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date)
            ? ScoringMonth.BeforeRunDate(date)
            : throw Invalid($"\"run_date\" '{runDate}' is not a date");
    }

    private static string String(ref Utf8JsonReader reader, string name) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw Invalid($"\"{name}\" must be a string");

    private static int Integer(ref Utf8JsonReader reader, string name) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value
        : reader.TokenType == JsonTokenType.String && int.TryParse(reader.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out value) ? value
        : throw Invalid($"\"{name}\" must be a whole number");

    private static Aws.Lambda.Bootstrap.LambdaFunctionException Invalid(string message) => new("InvalidEvent", message);
}
