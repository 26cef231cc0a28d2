using System.Text.Json;
using System.Text.Unicode;
using StreamPredict.Serving.Rides;
using StreamPredict.Web.Http;
using StreamPredict.Web.Rides;

namespace StreamPredict.Web.InferenceProtocol;

/// <summary>
/// The Open Inference Protocol's (KServe V2) inference request: <c>{"id"?, "parameters"?, "inputs": [{"name", "shape",
/// "datatype", "data"}], "outputs"?}</c>, with one tensor per ride field. Data may be flat or nested (row-major). Each
/// row is read as a ride by the function's own reader.
/// </summary>
internal static class InferRequestReader
{
    public const string Code = "invalid_inference_request";

    /// <summary>The tensors this model takes, with the datatypes each accepts.</summary>
    public static readonly IReadOnlyList<(string Name, string Datatype, string[] Accepted)> Inputs =
    [
        ("PULocationID", "INT64", ["INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64"]),
        ("DOLocationID", "INT64", ["INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64"]),
        ("trip_distance", "FP64", ["FP16", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64"]),
    ];

    private static readonly JsonReaderOptions Options = new() { MaxDepth = 64 };

    /// <summary>Reads the rides; <paramref name="id"/> is the request's id, echoed in the answer.</summary>
    public static Problem? Read(ReadOnlySpan<byte> json, int maxRides, RideList rides, out string? id)
    {
        id = null;
        if (!Utf8.IsValid(json))
        {
            return RideRequestReader.Rejected(RejectionKind.NotUtf8, "the body is not UTF-8 text");
        }

        var reader = new Utf8JsonReader(json, Options);
        var tensors = new List<ColumnCells>();
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Problem.BadRequest(Code, "the body must be an inference request object {\"inputs\": [...]}");
            }

            var hasInputs = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("inputs"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        return Problem.BadRequest(Code, "\"inputs\" must be a list of tensors");
                    }

                    hasInputs = true;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (ReadTensor(ref reader, tensors.Count, out var tensor) is { } problem)
                        {
                            return problem;
                        }

                        if (tensors.Any(t => t.Name == tensor!.Name))
                        {
                            return Problem.BadRequest(Code, $"input \"{tensor!.Name}\" is given twice") with { Field = tensor.Name };
                        }

                        tensors.Add(tensor!);
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            while (reader.Read())
            {
                // Trailing content throws.
            }

            if (!hasInputs)
            {
                return Problem.BadRequest(Code, "the request has no \"inputs\"");
            }
        }
        catch (JsonException exception)
        {
            return RideRequestReader.Rejected(RejectionKind.NotJson, $"the body is not JSON: {exception.Message}");
        }

        foreach (var (name, _, _) in Inputs)
        {
            if (!tensors.Any(t => t.Name == name))
            {
                return Problem.BadRequest(Code, $"input \"{name}\" is missing: the model takes {string.Join(", ", Inputs.Select(i => i.Name))}") with { Field = name };
            }
        }

        if (tensors.FirstOrDefault(t => t.Cells.Count != tensors[0].Cells.Count) is { } uneven)
        {
            return Problem.BadRequest(Code, $"input \"{uneven.Name}\" has {uneven.Cells.Count} values but \"{tensors[0].Name}\" has {tensors[0].Cells.Count}: every input needs one value per ride") with { Field = uneven.Name };
        }

        return ColumnCells.ReadRows(json, tensors, maxRides, rides);
    }

    /// <summary>One {"name", "shape", "datatype", "data", "parameters"?} object; the shape must hold as many values as data.</summary>
    private static Problem? ReadTensor(ref Utf8JsonReader reader, int position, out ColumnCells? tensor)
    {
        tensor = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return Problem.BadRequest(Code, $"inputs[{position}] is not a tensor object");
        }

        string? name = null;
        string? datatype = null;
        long? shapeSize = null;
        var data = new ColumnCells($"inputs[{position}]");
        var hasData = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("datatype"u8))
            {
                reader.Read();
                datatype = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("shape"u8))
            {
                reader.Read();
                if (ReadShape(ref reader) is not { } size)
                {
                    return Problem.BadRequest(Code, $"inputs[{position}].shape must be a list of non-negative integers");
                }

                shapeSize = size;
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                hasData = true;
                if (data.AddFlattened(ref reader) is { } tooDeep)
                {
                    return tooDeep;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        var expected = Inputs.FirstOrDefault(i => i.Name == name);
        if (expected.Name is null)
        {
            return Problem.BadRequest(Code, $"inputs[{position}] is named {(name is null ? "nothing" : $"\"{name}\"")}: the model takes {string.Join(", ", Inputs.Select(i => i.Name))}");
        }

        if (datatype is null || !expected.Accepted.Contains(datatype))
        {
            return Problem.BadRequest(Code, $"input \"{name}\" has datatype {datatype ?? "(none)"}; use {expected.Datatype} (or {string.Join(", ", expected.Accepted)})") with { Field = name };
        }

        if (!hasData || shapeSize is null)
        {
            return Problem.BadRequest(Code, $"input \"{name}\" needs \"shape\" and \"data\"") with { Field = name };
        }

        if (shapeSize != data.Cells.Count)
        {
            return Problem.BadRequest(Code, $"input \"{name}\" has shape holding {shapeSize} values but {data.Cells.Count} in data") with { Field = name };
        }

        tensor = new ColumnCells(name!);
        tensor.Cells.AddRange(data.Cells);
        return null;
    }

    private static long? ReadShape(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        long size = 1;
        var valid = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var dimension) && dimension >= 0)
            {
                size = size > int.MaxValue ? size : size * dimension;
            }
            else
            {
                valid = false;
                reader.Skip();
            }
        }

        return valid ? size : null;
    }
}
