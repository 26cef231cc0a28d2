using StreamPredict.Aws.Kinesis;

namespace StreamPredict.Cli.Tailing;

/// <summary>One record and the shard it came from.</summary>
internal readonly record struct ShardRecord(string ShardId, KinesisRecord Record);

/// <summary>
/// Reads every shard of a stream, round-robin. Without follow it stops once every shard is caught up (an empty read
/// at the tip); with follow it keeps polling. A failed read re-creates the shard's iterator after the last record seen.
/// </summary>
internal sealed class StreamTailer(KinesisClient kinesis, string streamName)
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <param name="onRecord">Return false to stop reading.</param>
    /// <param name="idleTimeout">With follow: stop after this long without a record (null: never).</param>
    public async Task ReadAsync(bool fromLatest, bool follow, Func<ShardRecord, bool> onRecord, TimeSpan? idleTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onRecord);
        var shards = (await kinesis.ListShardsAsync(streamName, cancellationToken).ConfigureAwait(false))
            .Select(shard => new ShardState(shard.ShardId)).ToList();
        var lastRecordAt = DateTimeOffset.UtcNow;
        var failures = 0;
        while (shards.Count > 0)
        {
            var gotAny = false;
            foreach (var shard in shards.ToList())
            {
                try
                {
                    shard.Iterator ??= shard.LastSequenceNumber is { } last
                        ? await kinesis.GetShardIteratorAsync(streamName, shard.ShardId, ShardIteratorType.AfterSequenceNumber, cancellationToken, last).ConfigureAwait(false)
                        : await kinesis.GetShardIteratorAsync(streamName, shard.ShardId,
                            fromLatest ? ShardIteratorType.Latest : ShardIteratorType.TrimHorizon, cancellationToken).ConfigureAwait(false);
                    var page = await kinesis.GetRecordsAsync(shard.Iterator, cancellationToken, 10_000).ConfigureAwait(false);
                    failures = 0;
                    shard.Iterator = page.NextShardIterator;
                    foreach (var record in page.Records)
                    {
                        shard.LastSequenceNumber = record.SequenceNumber;
                        if (!onRecord(new ShardRecord(shard.ShardId, record)))
                        {
                            return;
                        }
                    }

                    gotAny |= page.Records.Count > 0;
                    shard.CaughtUp = page.Records.Count == 0 && page.MillisBehindLatest is null or 0;
                    if (page.NextShardIterator is null)
                    {
                        shards.Remove(shard);
                    }
                }
                catch (KinesisException) when (++failures <= 20 && !cancellationToken.IsCancellationRequested)
                {
                    shard.Iterator = null;
                    await Task.Delay(TimeSpan.FromMilliseconds(250 * Math.Min(failures, 8)), cancellationToken).ConfigureAwait(false);
                }
            }

            if (gotAny)
            {
                lastRecordAt = DateTimeOffset.UtcNow;
                continue;
            }

            if (!follow && shards.TrueForAll(shard => shard.CaughtUp))
            {
                return;
            }

            if (follow && idleTimeout is { } idle && DateTimeOffset.UtcNow - lastRecordAt > idle)
            {
                return;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class ShardState(string shardId)
    {
        public string ShardId { get; } = shardId;
        public string? Iterator { get; set; }
        public string? LastSequenceNumber { get; set; }
        public bool CaughtUp { get; set; }
    }
}
