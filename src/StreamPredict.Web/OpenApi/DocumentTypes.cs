using System.Text.Json.Serialization;

namespace StreamPredict.Web.OpenApi;

// The shapes the endpoints read and write, for the OpenAPI document only: the endpoints themselves read with
// Utf8JsonReader (through the function's RideReader) and write with Utf8JsonWriter.

/// <summary>The course's ride; an array of them is a batch.</summary>
internal sealed record CourseRide(
    [property: JsonPropertyName("PULocationID")] int PULocationID,
    [property: JsonPropertyName("DOLocationID")] int DOLocationID,
    [property: JsonPropertyName("trip_distance")] double TripDistance);

/// <summary>One answer of /predict; ride_id only when the ride came as a ride event.</summary>
internal sealed record CoursePrediction(
    [property: JsonPropertyName("duration")] double Duration,
    [property: JsonPropertyName("model_version")] string ModelVersion,
    [property: JsonPropertyName("ride_id")] string? RideId);

/// <summary>MLflow's scoring input: exactly one of the four members.</summary>
internal sealed record MlflowRequest(
    [property: JsonPropertyName("dataframe_split")] MlflowSplit? DataframeSplit,
    [property: JsonPropertyName("dataframe_records")] CourseRide[]? DataframeRecords,
    [property: JsonPropertyName("instances")] CourseRide[]? Instances,
    [property: JsonPropertyName("inputs")] CourseRide[]? Inputs);

internal sealed record MlflowSplit(
    [property: JsonPropertyName("columns")] string[] Columns,
    [property: JsonPropertyName("data")] double[][] Data);

internal sealed record MlflowPredictions([property: JsonPropertyName("predictions")] double[] Predictions);

internal sealed record Tensor(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("shape")] long[] Shape,
    [property: JsonPropertyName("datatype")] string Datatype,
    [property: JsonPropertyName("data")] double[] Data);

internal sealed record InferRequest(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("inputs")] Tensor[] Inputs);

internal sealed record InferResponse(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("model_version")] string ModelVersion,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("outputs")] Tensor[] Outputs);

internal sealed record TensorMetadata(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("datatype")] string Datatype,
    [property: JsonPropertyName("shape")] long[] Shape);

internal sealed record ModelMetadata(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("versions")] string[] Versions,
    [property: JsonPropertyName("platform")] string Platform,
    [property: JsonPropertyName("inputs")] TensorMetadata[] Inputs,
    [property: JsonPropertyName("outputs")] TensorMetadata[] Outputs);

internal sealed record ServerMetadata(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("extensions")] string[] Extensions);

internal sealed record ModelReadiness([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("ready")] bool Ready);

internal sealed record LiveStatus([property: JsonPropertyName("live")] bool Live);

internal sealed record ReadyStatus([property: JsonPropertyName("ready")] bool Ready);

/// <summary>RFC 9457 problem details as this service writes them.</summary>
internal sealed record ProblemDocument(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("detail")] string Detail,
    [property: JsonPropertyName("instance")] string Instance,
    [property: JsonPropertyName("error_kind")] string ErrorKind,
    [property: JsonPropertyName("field")] string? Field,
    [property: JsonPropertyName("index")] int? Index,
    [property: JsonPropertyName("error")] string Error);

/// <summary>Serializer metadata for the OpenAPI generator, generated at build time (no reflection under NativeAOT).</summary>
[JsonSerializable(typeof(CourseRide))]
[JsonSerializable(typeof(CourseRide[]))]
[JsonSerializable(typeof(CoursePrediction))]
[JsonSerializable(typeof(CoursePrediction[]))]
[JsonSerializable(typeof(MlflowRequest))]
[JsonSerializable(typeof(MlflowPredictions))]
[JsonSerializable(typeof(InferRequest))]
[JsonSerializable(typeof(InferResponse))]
[JsonSerializable(typeof(ModelMetadata))]
[JsonSerializable(typeof(ServerMetadata))]
[JsonSerializable(typeof(ModelReadiness))]
[JsonSerializable(typeof(LiveStatus))]
[JsonSerializable(typeof(ReadyStatus))]
[JsonSerializable(typeof(ProblemDocument))]
internal sealed partial class WebJsonContext : JsonSerializerContext;
