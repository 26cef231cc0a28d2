using System.Text.Json;
using StreamPredict.Serving.Rides;
using StreamPredict.Web.Http;

namespace StreamPredict.Web.Rides;

/// <summary>Positions of JSON values in a body: a column of a table or a tensor's data, before it is read as rides.</summary>
internal sealed class ColumnCells(string name)
{
    public string Name { get; } = name;

    public JsonEncodedText EncodedName { get; } = JsonEncodedText.Encode(name);

    public List<Range> Cells { get; } = [];

    /// <summary>
    /// Adds the value the reader is on (a scalar, or an array or object taken whole) and moves past it; a problem when
    /// it nests deeper than the function's cap.
    /// </summary>
    public Problem? Add(ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        if (!Skip(ref reader))
        {
            return RideRequestReader.Rejected(RejectionKind.TooDeep, $"a value of {Name} nests JSON deeper than {RideInputCaps.MaxJsonDepth} levels");
        }

        Cells.Add(start..(int)reader.BytesConsumed);
        return null;
    }

    /// <summary>Adds every scalar of the (possibly nested) array the reader is on, in row-major order, as tensors lay out data.</summary>
    public Problem? AddFlattened(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return Add(ref reader);
        }

        var depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.EndArray)
            {
                if (reader.CurrentDepth - depth > RideInputCaps.MaxJsonDepth)
                {
                    return RideRequestReader.Rejected(RejectionKind.TooDeep, $"the data of {Name} nests deeper than {RideInputCaps.MaxJsonDepth} levels");
                }

                continue;
            }

            if (Add(ref reader) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>Reads the rows of <paramref name="columns"/> (all of one length) as rides from <paramref name="json"/>.</summary>
    public static Problem? ReadRows(ReadOnlySpan<byte> json, IReadOnlyList<ColumnCells> columns, int maxRides, RideList rides)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var rows = columns.Count == 0 ? 0 : columns[0].Cells.Count;
        if (rows == 0)
        {
            return Problem.BadRequest("empty_batch", "the input holds no rows: send at least one ride");
        }

        if (rows > maxRides)
        {
            return Problem.TooManyRides(maxRides);
        }

        using var row = new RowRideReader();
        for (var i = 0; i < rows; i++)
        {
            row.BeginRow();
            foreach (var column in columns)
            {
                row.Cell(column.EncodedName, json[column.Cells[i]]);
            }

            if (row.EndRow(i, rides) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static bool Skip(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return true;
        }

        var depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth - depth + 1 > RideInputCaps.MaxJsonDepth)
            {
                return false;
            }
        }

        return true;
    }
}
