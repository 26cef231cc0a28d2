using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace StreamPredict.Tests.Cli;

/// <summary>
/// An in-memory Kinesis over the JSON protocol, enough for the event source mapping (DescribeStreamSummary,
/// ListShards, GetShardIterator, GetRecords), with injectable connection failures and iterator expiry.
/// Sequence numbers are "{shard index}{position:D6}", so they sort within a shard.
/// </summary>
internal sealed class FakeKinesisService : HttpMessageHandler
{
    public const string StreamArn = "arn:aws:kinesis:us-east-1:123456789012:stream/rides";

    private readonly Lock _lock = new();
    private readonly List<List<string>> _shards;
    private int _getRecordsCalls;

    public FakeKinesisService(int shards, int recordsPerShard)
    {
        _shards = [.. Enumerable.Range(0, shards).Select(shard =>
            Enumerable.Range(0, recordsPerShard).Select(position => string.Create(CultureInfo.InvariantCulture, $"{shard + 1}{position:D6}")).ToList())];
    }

    public static string ShardId(int index) => $"shardId-{index:D12}";

    public IEnumerable<string> AllSequenceNumbers => _shards.SelectMany(shard => shard);

    /// <summary>GetRecords calls (1-based) that fail as if the connection were refused.</summary>
    public HashSet<int> RefuseGetRecordsCalls { get; init; } = [];

    /// <summary>GetRecords calls (1-based) answered with ExpiredIteratorException.</summary>
    public HashSet<int> ExpireGetRecordsCalls { get; init; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var operation = request.Headers.GetValues("X-Amz-Target").Single().Split('.')[1];
        using var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
        var input = body.RootElement;
        lock (_lock)
        {
            return operation switch
            {
                "DescribeStreamSummary" => Json($$$"""{"StreamDescriptionSummary":{"StreamName":"rides","StreamARN":"{{{StreamArn}}}","StreamStatus":"ACTIVE","OpenShardCount":{{{_shards.Count}}}}}"""),
                "ListShards" => Json("{\"Shards\":[" + string.Join(",", _shards.Select((_, i) =>
                    $$$"""{"ShardId":"{{{ShardId(i)}}}","HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"1"},"SequenceNumberRange":{"StartingSequenceNumber":"0"}}""")) + "]}"),
                "GetShardIterator" => Json($$"""{"ShardIterator":"{{Iterator(input)}}"}"""),
                "GetRecords" => GetRecords(input),
                _ => new HttpResponseMessage(HttpStatusCode.BadRequest),
            };
        }
    }

    private string Iterator(JsonElement input)
    {
        var shard = int.Parse(input.GetProperty("ShardId").GetString()!["shardId-".Length..], CultureInfo.InvariantCulture);
        var records = _shards[shard];
        var position = input.GetProperty("ShardIteratorType").GetString() switch
        {
            "TRIM_HORIZON" => 0,
            "LATEST" => records.Count,
            "AT_SEQUENCE_NUMBER" => records.IndexOf(input.GetProperty("StartingSequenceNumber").GetString()!),
            "AFTER_SEQUENCE_NUMBER" => records.IndexOf(input.GetProperty("StartingSequenceNumber").GetString()!) + 1,
            var other => throw new InvalidOperationException($"iterator type {other}"),
        };
        return $"{shard}|{position}";
    }

    private HttpResponseMessage GetRecords(JsonElement input)
    {
        var call = ++_getRecordsCalls;
        if (RefuseGetRecordsCalls.Contains(call))
        {
            throw new HttpRequestException("Connection refused (fake)");
        }

        if (ExpireGetRecordsCalls.Contains(call))
        {
            var expired = Json("""{"__type":"ExpiredIteratorException","message":"Iterator expired (fake)"}""");
            expired.StatusCode = HttpStatusCode.BadRequest;
            return expired;
        }

        var parts = input.GetProperty("ShardIterator").GetString()!.Split('|');
        var shard = int.Parse(parts[0], CultureInfo.InvariantCulture);
        var position = int.Parse(parts[1], CultureInfo.InvariantCulture);
        var limit = input.TryGetProperty("Limit", out var value) ? value.GetInt32() : 10_000;
        var page = _shards[shard].Skip(position).Take(limit).ToList();
        var records = string.Join(",", page.Select(sequence =>
            $$"""{"SequenceNumber":"{{sequence}}","ApproximateArrivalTimestamp":1700000000.5,"Data":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(sequence))}}","PartitionKey":"k"}"""));
        return Json($$"""{"Records":[{{records}}],"NextShardIterator":"{{shard}}|{{position + page.Count}}","MillisBehindLatest":0}""");
    }

    private static HttpResponseMessage Json(string json) => new(HttpStatusCode.OK)
    {
        Content = new StringContent(json, Encoding.UTF8, "application/x-amz-json-1.1"),
    };
}
