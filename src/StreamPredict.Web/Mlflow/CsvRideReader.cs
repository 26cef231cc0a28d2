using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using StreamPredict.Serving.Rides;
using StreamPredict.Web.Http;
using StreamPredict.Web.Rides;

namespace StreamPredict.Web.Mlflow;

/// <summary>
/// MLflow's text/csv input: a header row naming the columns, then one ride per row (RFC 4180 quoting). Each cell
/// becomes a JSON value (a number as written, an empty cell null, anything else a string) and every row is read as
/// a ride by the function's own reader, so "abc" for PULocationID is refused just as the JSON string would be.
/// </summary>
internal static class CsvRideReader
{
    public static Problem? Read(ReadOnlySpan<byte> csv, int maxRides, RideList rides)
    {
        if (!Utf8.IsValid(csv))
        {
            return RideRequestReader.Rejected(RejectionKind.NotUtf8, "the body is not UTF-8 text");
        }

        var values = new ArrayBufferWriter<byte>(csv.Length * 2 + 16);
        var columns = new List<ColumnCells>();
        var row = new List<Range>();
        var position = 0;
        var line = 0;
        while (position < csv.Length)
        {
            if (ReadRecord(csv, ref position, values, row) is { } malformed)
            {
                return Problem.BadRequest(MlflowInputReader.Code, $"CSV line {line + 1}: {malformed}", line == 0 ? null : line - 1);
            }

            if (row.Count == 1 && values.WrittenSpan[row[0]].IsEmpty)
            {
                continue; // a blank line
            }

            if (line++ == 0)
            {
                columns.AddRange(row.Select(name => new ColumnCells(System.Text.Encoding.UTF8.GetString(values.WrittenSpan[name]))));
                values.ResetWrittenCount();
                continue;
            }

            if (row.Count != columns.Count)
            {
                return Problem.BadRequest(MlflowInputReader.Code, $"CSV line {line} has {row.Count} cells for {columns.Count} columns", line - 2);
            }

            for (var i = 0; i < row.Count; i++)
            {
                columns[i].Cells.Add(row[i]);
            }
        }

        if (columns.Count == 0)
        {
            return Problem.BadRequest(MlflowInputReader.Code, "the CSV is empty: send a header row and one row per ride");
        }

        var json = ToJsonValues(values.WrittenSpan, columns);
        return ColumnCells.ReadRows(json, columns, maxRides, rides);
    }

    /// <summary>Reads one record's cells (unquoted text) into <paramref name="values"/>; an error message when malformed.</summary>
    private static string? ReadRecord(ReadOnlySpan<byte> csv, ref int position, ArrayBufferWriter<byte> values, List<Range> cells)
    {
        cells.Clear();
        while (true)
        {
            var start = values.WrittenCount;
            if (position < csv.Length && csv[position] == (byte)'"')
            {
                position++;
                while (true)
                {
                    var quote = csv[position..].IndexOf((byte)'"');
                    if (quote < 0)
                    {
                        return "a quoted cell is not closed";
                    }

                    values.Write(csv.Slice(position, quote));
                    position += quote + 1;
                    if (position < csv.Length && csv[position] == (byte)'"')
                    {
                        values.Write("\""u8);
                        position++;
                        continue;
                    }

                    break;
                }
            }
            else
            {
                var end = csv[position..].IndexOfAny((byte)',', (byte)'\n', (byte)'\r');
                var length = end < 0 ? csv.Length - position : end;
                values.Write(csv.Slice(position, length));
                position += length;
            }

            cells.Add(start..values.WrittenCount);
            if (position >= csv.Length)
            {
                return null;
            }

            var separator = csv[position++];
            if (separator == (byte)',')
            {
                continue;
            }

            if (separator == (byte)'\r' && position < csv.Length && csv[position] == (byte)'\n')
            {
                position++;
            }

            return separator is (byte)'\n' or (byte)'\r' ? null : "text after a quoted cell";
        }
    }

    /// <summary>Rewrites every cell as JSON text (numbers as written, other text as strings); an empty cell becomes null.</summary>
    private static byte[] ToJsonValues(ReadOnlySpan<byte> text, List<ColumnCells> columns)
    {
        var output = new ArrayBufferWriter<byte>(text.Length * 2 + 16);
        foreach (var column in columns)
        {
            for (var i = 0; i < column.Cells.Count; i++)
            {
                var cell = text[column.Cells[i]];
                var start = output.WrittenCount;
                if (cell.IsEmpty)
                {
                    output.Write("null"u8);
                }
                else if (IsJsonNumber(cell))
                {
                    output.Write(cell);
                }
                else
                {
                    output.Write("\""u8);
                    output.Write(JsonEncodedText.Encode(cell).EncodedUtf8Bytes);
                    output.Write("\""u8);
                }

                column.Cells[i] = start..output.WrittenCount;
            }
        }

        return output.WrittenSpan.ToArray();
    }

    private static bool IsJsonNumber(ReadOnlySpan<byte> cell)
    {
        var reader = new Utf8JsonReader(cell);
        try
        {
            return reader.Read() && reader.TokenType == JsonTokenType.Number && reader.BytesConsumed == cell.Length;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
