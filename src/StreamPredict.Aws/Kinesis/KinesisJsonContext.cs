using System.Text.Json.Serialization;

namespace StreamPredict.Aws.Kinesis;

// Source-generated, so responses parse without reflection (the function is trimmed and AOT-compiled).
// Case-insensitive because error bodies use both "message" and "Message".
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(DescribeStreamSummaryResponse))]
[JsonSerializable(typeof(ListShardsResponse))]
[JsonSerializable(typeof(GetShardIteratorResponse))]
[JsonSerializable(typeof(GetRecordsResult))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class KinesisJsonContext : JsonSerializerContext;

internal sealed record DescribeStreamSummaryResponse(StreamSummary StreamDescriptionSummary);

internal sealed record ListShardsResponse(IReadOnlyList<Shard>? Shards, string? NextToken);

internal sealed record GetShardIteratorResponse(string ShardIterator);

internal sealed record ErrorResponse([property: JsonPropertyName("__type")] string? Type, string? Message);
