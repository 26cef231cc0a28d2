using System.Text.Json;
using StreamPredict.Aws.Kinesis;

namespace StreamPredict.IntegrationTests.Functions;

internal static class StreamReading
{
    /// <summary>Reads every shard from TRIM_HORIZON until it is caught up (the function has answered, so all it wrote is there).</summary>
    public static async Task<List<JsonElement>> ReadAllAsync(KinesisClient kinesis, string stream, CancellationToken cancellationToken)
    {
        var records = new List<JsonElement>();
        foreach (var shard in await kinesis.ListShardsAsync(stream, cancellationToken))
        {
            var iterator = await kinesis.GetShardIteratorAsync(stream, shard.ShardId, ShardIteratorType.TrimHorizon, cancellationToken);
            while (iterator is not null)
            {
                var page = await kinesis.GetRecordsAsync(iterator, cancellationToken, limit: 10_000);
                records.AddRange(page.Records.Select(r => JsonDocument.Parse(r.Data).RootElement.Clone()));
                if (page.Records.Count == 0 && page.MillisBehindLatest is null or 0)
                {
                    break;
                }

                iterator = page.NextShardIterator;
            }
        }

        return records;
    }
}
