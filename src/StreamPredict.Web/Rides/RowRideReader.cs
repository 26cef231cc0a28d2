using System.Buffers;
using System.Text.Json;
using StreamPredict.Web.Http;

namespace StreamPredict.Web.Rides;

/// <summary>
/// Rides given as columns rather than objects (a dataframe_split table, KServe tensors, CSV): each row is written as
/// the bare ride object <c>{"column": value, ...}</c> and read by <see cref="RideRequestReader.ReadOne"/>, so a cell is
/// judged exactly as the same field of a posted ride, with the same kinds and reasons.
/// </summary>
internal sealed class RowRideReader : IDisposable
{
    private readonly ArrayBufferWriter<byte> _row = new(256);
    private readonly Utf8JsonWriter _writer;

    public RowRideReader() => _writer = new Utf8JsonWriter(_row, new JsonWriterOptions { SkipValidation = true });

    public void BeginRow()
    {
        _row.ResetWrittenCount();
        _writer.Reset(_row);
        _writer.WriteStartObject();
    }

    /// <summary>A cell: the column's name and the value's JSON text.</summary>
    public void Cell(JsonEncodedText column, ReadOnlySpan<byte> jsonValue)
    {
        _writer.WritePropertyName(column);
        _writer.WriteRawValue(jsonValue, skipInputValidation: true);
    }

    /// <summary>Reads the row as ride number <paramref name="index"/> into <paramref name="rides"/>.</summary>
    public Problem? EndRow(int index, RideList rides)
    {
        ArgumentNullException.ThrowIfNull(rides);
        _writer.WriteEndObject();
        _writer.Flush();
        if (RideRequestReader.ReadOne(_row.WrittenSpan, out var ride, out var rideId) is { } problem)
        {
            return problem with { Index = index };
        }

        rides.Add(ride, rideId);
        return null;
    }

    public void Dispose() => _writer.Dispose();
}
