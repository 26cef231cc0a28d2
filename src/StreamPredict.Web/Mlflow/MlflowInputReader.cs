using System.Text.Json;
using System.Text.Unicode;
using StreamPredict.Serving.Rides;
using StreamPredict.Web.Http;
using StreamPredict.Web.Rides;

namespace StreamPredict.Web.Mlflow;

/// <summary>
/// MLflow's scoring input (application/json): exactly one of <c>dataframe_split</c> (<c>{"columns", "data"}</c>),
/// <c>dataframe_records</c> (a list of row objects), <c>instances</c> or <c>inputs</c> (a list of row objects, or an
/// object of columns); <c>params</c> is allowed and ignored. The columns are the ride's fields; every row is read as a
/// ride by the function's own reader.
/// </summary>
internal static class MlflowInputReader
{
    public const string Code = "invalid_input_format";

    private static readonly JsonReaderOptions Options = new() { MaxDepth = 64 };

    private static readonly string Keys = "dataframe_split, dataframe_records, instances or inputs";

    public static Problem? Read(ReadOnlySpan<byte> json, int maxRides, RideList rides)
    {
        if (!Utf8.IsValid(json))
        {
            return RideRequestReader.Rejected(RejectionKind.NotUtf8, "the body is not UTF-8 text");
        }

        var reader = new Utf8JsonReader(json, Options);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Problem.BadRequest(Code, $"the body must be a JSON object with one of {Keys}");
            }

            string? found = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                reader.Read();
                if (key == "params")
                {
                    reader.Skip();
                    continue;
                }

                if (key is not ("dataframe_split" or "dataframe_records" or "instances" or "inputs"))
                {
                    return Problem.BadRequest(Code, $"unknown member \"{key}\": the body takes one of {Keys} (and optionally params)");
                }

                if (found is not null)
                {
                    return Problem.BadRequest(Code, $"the body has both \"{found}\" and \"{key}\": give only one of {Keys}");
                }

                found = key;
                if (ReadInput(json, ref reader, key, maxRides, rides) is { } problem)
                {
                    return problem;
                }
            }

            while (reader.Read())
            {
                // Trailing content throws.
            }

            return found is null ? Problem.BadRequest(Code, $"the body has none of {Keys}") : null;
        }
        catch (JsonException exception)
        {
            return RideRequestReader.Rejected(RejectionKind.NotJson, $"the body is not JSON: {exception.Message}");
        }
    }

    private static Problem? ReadInput(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, string key, int maxRides, RideList rides)
    {
        if (key == "dataframe_split")
        {
            return reader.TokenType == JsonTokenType.StartObject
                ? ReadSplit(json, ref reader, maxRides, rides)
                : Problem.BadRequest(Code, "dataframe_split must be an object {\"columns\": [...], \"data\": [[...], ...]}");
        }

        if (reader.TokenType == JsonTokenType.StartArray)
        {
            return RideRequestReader.ReadElements(json, ref reader, maxRides, rides);
        }

        if (key != "dataframe_records" && reader.TokenType == JsonTokenType.StartObject)
        {
            return ReadColumns(json, ref reader, key, maxRides, rides);
        }

        return Problem.BadRequest(Code, key == "dataframe_records"
            ? "dataframe_records must be a list of rows [{\"PULocationID\": ..., \"DOLocationID\": ..., \"trip_distance\": ...}, ...]"
            : $"{key} must be a list of rows or an object of columns {{\"PULocationID\": [...], ...}}");
    }

    /// <summary>{"columns": [names], "data": [[row], ...], "index": [...]} in any member order.</summary>
    private static Problem? ReadSplit(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, int maxRides, RideList rides)
    {
        List<ColumnCells>? columns = null;
        Range? data = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isColumns = reader.ValueTextEquals("columns"u8);
            var isData = reader.ValueTextEquals("data"u8);
            reader.Read();
            if (isColumns)
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    return Problem.BadRequest(Code, "dataframe_split.columns must be a list of column names");
                }

                columns = [];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return Problem.BadRequest(Code, $"dataframe_split.columns[{columns.Count}] is not a string");
                    }

                    columns.Add(new ColumnCells(reader.GetString()!));
                }
            }
            else if (isData)
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    return Problem.BadRequest(Code, "dataframe_split.data must be a list of rows");
                }

                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                data = start..(int)reader.BytesConsumed;
            }
            else
            {
                reader.Skip();
            }
        }

        if (columns is null || data is null)
        {
            return Problem.BadRequest(Code, $"dataframe_split needs \"columns\" and \"data\"; {(columns is null ? "columns" : "data")} is missing");
        }

        // The rows are read from the data array's own slice, so their positions are relative to it.
        var rows = json[data.Value];
        var dataReader = new Utf8JsonReader(rows, Options);
        dataReader.Read();
        var index = 0;
        while (dataReader.Read() && dataReader.TokenType != JsonTokenType.EndArray)
        {
            if (dataReader.TokenType != JsonTokenType.StartArray)
            {
                return Problem.BadRequest(Code, $"dataframe_split.data[{index}] is not a list of values", index);
            }

            var cells = 0;
            while (dataReader.Read() && dataReader.TokenType != JsonTokenType.EndArray)
            {
                if (cells == columns.Count)
                {
                    return Problem.BadRequest(Code, $"dataframe_split.data[{index}] has more values than the {columns.Count} columns", index);
                }

                if (columns[cells++].Add(ref dataReader) is { } tooDeep)
                {
                    return tooDeep with { Index = index };
                }
            }

            if (cells != columns.Count)
            {
                return Problem.BadRequest(Code, $"dataframe_split.data[{index}] has {cells} values for {columns.Count} columns", index);
            }

            index++;
        }

        return ColumnCells.ReadRows(rows, columns, maxRides, rides);
    }

    /// <summary>{"PULocationID": [...], "DOLocationID": [...], "trip_distance": [...]}: one list per column, of one length.</summary>
    private static Problem? ReadColumns(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, string key, int maxRides, RideList rides)
    {
        var columns = new List<ColumnCells>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var column = new ColumnCells(reader.GetString()!);
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return Problem.BadRequest(Code, $"{key}.{column.Name} must be a list of values, one per ride");
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (column.Add(ref reader) is { } tooDeep)
                {
                    return tooDeep with { Index = column.Cells.Count };
                }
            }

            columns.Add(column);
        }

        if (columns.Count > 0 && columns.FirstOrDefault(c => c.Cells.Count != columns[0].Cells.Count) is { } uneven)
        {
            return Problem.BadRequest(Code, $"{key}.{uneven.Name} has {uneven.Cells.Count} values but {key}.{columns[0].Name} has {columns[0].Cells.Count}");
        }

        return ColumnCells.ReadRows(json, columns, maxRides, rides);
    }
}
