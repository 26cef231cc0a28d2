using StreamPredict.Aws.Kinesis;
using StreamPredict.IntegrationTests.Infrastructure;

namespace StreamPredict.IntegrationTests.Aws;

[Collection(Emulators.Collection)]
public sealed class KinesisRoundTripTests(EmulatorFixture emulators)
{
    private readonly CancellationToken _timeout = EmulatorFixture.TestTimeout();

    [Fact]
    public async Task Every_record_put_in_three_calls_reads_back_byte_for_byte_from_both_shards()
    {
        using var counter = new CountingHandler();
        using var kinesis = new KinesisClient(emulators.Environment, counter, KinesisRetryPolicy.Default, TimeProvider.System);
        var stream = await EmulatorFixture.CreateActiveStreamAsync(kinesis, "roundtrip", shardCount: 2, _timeout);

        var random = new Random(20260121);
        var sent = Enumerable.Range(0, 1200).Select(i =>
        {
            // Every byte value appears, and sizes vary from empty-ish to a few KiB.
            var data = new byte[1 + random.Next(4096)];
            random.NextBytes(data);
            data[0] = (byte)i;
            return new PutRecordsEntry(data, $"ride-{i}");
        }).ToArray();

        var written = new Dictionary<string, (PutRecordsEntry Entry, string ShardId)>();
        foreach (var batch in sent.Chunk(400))
        {
            var result = await kinesis.PutRecordsAsync(stream, batch, _timeout);
            Assert.Equal(0, result.FailedRecordCount);
            for (var i = 0; i < batch.Length; i++)
            {
                Assert.True(result.Records[i].Succeeded, result.Records[i].ErrorMessage);
                written.Add(result.Records[i].SequenceNumber!, (batch[i], result.Records[i].ShardId!));
            }
        }

        Assert.Equal(3, counter.Count("PutRecords"));

        var shards = await kinesis.ListShardsAsync(stream, _timeout, pageSize: 1);
        Assert.Equal(2, shards.Count);
        Assert.Equal(2, counter.Count("ListShards"));

        var read = new Dictionary<string, KinesisRecord>();
        foreach (var shard in shards)
        {
            var records = await ReadShardAsync(kinesis, stream, shard.ShardId, expected: written.Values.Count(w => w.ShardId == shard.ShardId));
            Assert.NotEmpty(records);
            foreach (var record in records)
            {
                Assert.Equal(shard.ShardId, written[record.SequenceNumber].ShardId);
                read.Add(record.SequenceNumber, record);
            }
        }

        Assert.Equal(written.Count, read.Count);
        foreach (var (sequenceNumber, (entry, _)) in written)
        {
            var record = read[sequenceNumber];
            Assert.Equal(entry.PartitionKey, record.PartitionKey);
            Assert.True(entry.Data.Span.SequenceEqual(record.Data), $"record {entry.PartitionKey} came back with different bytes");
            Assert.True(record.ApproximateArrivalTimestamp > DateTimeOffset.UnixEpoch);
        }

        await kinesis.DeleteStreamAsync(stream, _timeout);
    }

    [Fact]
    public async Task Sequence_number_iterators_start_at_and_after_the_given_record()
    {
        using var kinesis = emulators.CreateKinesisClient();
        var stream = await EmulatorFixture.CreateActiveStreamAsync(kinesis, "iterators", shardCount: 1, _timeout);
        PutRecordsEntry[] entries = [new("first"u8.ToArray(), "k"), new("second"u8.ToArray(), "k"), new("third"u8.ToArray(), "k")];
        var put = await kinesis.PutRecordsAsync(stream, entries, _timeout);
        var shardId = put.Records[1].ShardId!;

        var at = await kinesis.GetShardIteratorAsync(stream, shardId, ShardIteratorType.AtSequenceNumber, _timeout, put.Records[1].SequenceNumber);
        var after = await kinesis.GetShardIteratorAsync(stream, shardId, ShardIteratorType.AfterSequenceNumber, _timeout, put.Records[1].SequenceNumber);

        Assert.Equal("second"u8.ToArray(), (await kinesis.GetRecordsAsync(at, _timeout, limit: 1)).Records.Single().Data);
        Assert.Equal("third"u8.ToArray(), (await kinesis.GetRecordsAsync(after, _timeout, limit: 1)).Records.Single().Data);

        await kinesis.DeleteStreamAsync(stream, _timeout);
    }

    [Fact]
    public async Task A_missing_stream_is_a_typed_error_naming_the_stream()
    {
        using var kinesis = emulators.CreateKinesisClient();
        var stream = EmulatorFixture.UniqueName("missing");

        var describe = await Assert.ThrowsAsync<KinesisResourceNotFoundException>(() => kinesis.DescribeStreamSummaryAsync(stream, _timeout));
        var put = await Assert.ThrowsAsync<KinesisResourceNotFoundException>(
            () => kinesis.PutRecordsAsync(stream, [new PutRecordsEntry("x"u8.ToArray(), "k")], _timeout));

        foreach (var error in new[] { describe, put })
        {
            Assert.Equal("ResourceNotFoundException", error.ErrorCode);
            Assert.Equal(400, error.StatusCode);
            Assert.Contains(stream, error.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>Follows the shard from TRIM_HORIZON until it has the expected count and is caught up.</summary>
    private async Task<List<KinesisRecord>> ReadShardAsync(KinesisClient kinesis, string stream, string shardId, int expected)
    {
        var records = new List<KinesisRecord>();
        var iterator = await kinesis.GetShardIteratorAsync(stream, shardId, ShardIteratorType.TrimHorizon, _timeout);
        for (var calls = 0; iterator is not null && calls < 100; calls++)
        {
            var page = await kinesis.GetRecordsAsync(iterator, _timeout, limit: 250);
            records.AddRange(page.Records);
            if (records.Count >= expected && page.Records.Count == 0 && page.MillisBehindLatest == 0)
            {
                break;
            }

            iterator = page.NextShardIterator;
        }

        return records;
    }
}
