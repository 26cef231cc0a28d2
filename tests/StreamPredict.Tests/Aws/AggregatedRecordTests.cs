using System.Text;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Aws.Kinesis.Aggregation;

namespace StreamPredict.Tests.Aws;

/// <summary>
/// KPL aggregated records against vectors written by hand from the published format (aggregation-format.md: magic,
/// protobuf AggregatedRecord, MD5 of the protobuf bytes). The MD5 trailers were computed apart from this code
/// (Python's hashlib over the same bytes).
/// </summary>
public sealed class AggregatedRecordTests
{
    private static readonly byte[] Magic = [0xF3, 0x89, 0x9A, 0xC2];

    /// <summary>One key "a", one record {partition_key_index 0, data "hi"}.</summary>
    private static readonly byte[] OneRecord =
    [
        0x0A, 0x01, 0x61,                   // field 1 (partition_key_table), length 1, "a"
        0x1A, 0x06,                         // field 3 (records), length 6:
        0x08, 0x00,                         //   field 1 (partition_key_index) varint 0
        0x1A, 0x02, 0x68, 0x69,             //   field 3 (data), length 2, "hi"
    ];

    private const string OneRecordMd5 = "ed4ff28777966ae6df59911cb0530cc2";

    /// <summary>
    /// Keys "ride-1", "ride-2"; explicit hash key "123"; records: {key 1, hash key 0, data "{}", tag {key "t"}},
    /// an unknown top-level field 9 (varint 5), {key 0, data ""}, {data "xyz", then key 1} (fields in another order).
    /// </summary>
    private static readonly byte[] ThreeRecords =
    [
        0x0A, 0x06, .. "ride-1"u8,
        0x0A, 0x06, .. "ride-2"u8,
        0x12, 0x03, .. "123"u8,             // field 2 (explicit_hash_key_table)
        0x1A, 0x0D,                         // record 0, length 13:
        0x08, 0x01,                         //   partition_key_index 1
        0x10, 0x00,                         //   explicit_hash_key_index 0
        0x1A, 0x02, .. "{}"u8,              //   data
        0x22, 0x03, 0x0A, 0x01, 0x74,       //   field 4 (tags): Tag { key "t" }
        0x48, 0x05,                         // field 9, varint 5: unknown, skipped
        0x1A, 0x04, 0x08, 0x00, 0x1A, 0x00, // record 1: key 0, empty data
        0x1A, 0x07,                         // record 2, length 7:
        0x1A, 0x03, .. "xyz"u8,             //   data first
        0x08, 0x01,                         //   then partition_key_index 1
    ];

    private const string ThreeRecordsMd5 = "6b0e3df1dab4041bf8394bbb3872c9c4";

    private static byte[] Aggregate(byte[] protobuf, string md5Hex) => [.. Magic, .. protobuf, .. Convert.FromHexString(md5Hex)];

    private static List<(string Key, string Data)> Decode(byte[] aggregate)
    {
        var decoder = new AggregatedRecordDecoder();
        Assert.Null(decoder.TryDecode(aggregate));
        return [.. Enumerable.Range(0, decoder.Count).Select(i =>
            (Encoding.UTF8.GetString(decoder.PartitionKey(aggregate, i)), Encoding.UTF8.GetString(decoder.Data(aggregate, i))))];
    }

    [Fact]
    public void The_one_record_vector_decodes_to_its_key_and_data()
    {
        Assert.Equal([("a", "hi")], Decode(Aggregate(OneRecord, OneRecordMd5)));
    }

    [Fact]
    public void Tables_hash_keys_tags_unknown_fields_and_any_field_order_are_read()
    {
        var aggregate = Aggregate(ThreeRecords, ThreeRecordsMd5);

        Assert.Equal([("ride-2", "{}"), ("ride-1", ""), ("ride-2", "xyz")], Decode(aggregate));
        var decoder = new AggregatedRecordDecoder();
        decoder.TryDecode(aggregate);
        Assert.Equal(0, decoder.Record(0).ExplicitHashKeyIndex);
        Assert.Equal(-1, decoder.Record(1).ExplicitHashKeyIndex);
    }

    [Fact]
    public void The_builder_writes_the_hand_written_vector_byte_for_byte()
    {
        var builder = new AggregatedRecordBuilder();
        Assert.True(builder.TryAdd("a", "hi"u8.ToArray()));

        Assert.Equal("a", builder.PartitionKey);
        Assert.Equal(Aggregate(OneRecord, OneRecordMd5), builder.Build());
        Assert.Equal(0, builder.Count);
    }

    [Fact]
    public void The_builder_shares_repeated_keys_and_round_trips_through_the_decoder()
    {
        var builder = new AggregatedRecordBuilder();
        var records = Enumerable.Range(0, 300).Select(i => ($"k{i % 7}", $"{{\"ride_id\":{i}}}")).ToList();
        foreach (var (key, data) in records)
        {
            Assert.True(builder.TryAdd(key, Encoding.UTF8.GetBytes(data)));
        }

        var size = builder.Size;
        var aggregate = builder.Build();

        Assert.Equal(size, aggregate.Length);
        Assert.Equal(records, Decode(aggregate));
    }

    [Fact]
    public void The_builder_stops_at_its_size_limit_but_always_takes_a_first_record()
    {
        var builder = new AggregatedRecordBuilder(maxBytes: 200);
        Assert.True(builder.TryAdd("k", new byte[500]));
        Assert.False(builder.TryAdd("k", new byte[1]));
        builder.Build();

        var added = 0;
        while (builder.TryAdd("key", new byte[10]))
        {
            added++;
        }

        Assert.InRange(builder.Size, 150, 200);
        Assert.Equal(added, Decode(builder.Build()).Count);
    }

    [Theory]
    [InlineData("flip a data byte", "MD5 trailer does not match")]
    [InlineData("flip an MD5 byte", "MD5 trailer does not match")]
    [InlineData("cut the last byte", "MD5 trailer does not match")]
    [InlineData("magic only", "too few for the magic and the 16-byte MD5")]
    public void Corruption_is_caught_by_the_MD5_trailer(string damage, string expected)
    {
        var aggregate = Aggregate(OneRecord, OneRecordMd5);
        byte[] damaged = damage switch
        {
            "flip a data byte" => [.. aggregate[..^17], (byte)(aggregate[^17] ^ 1), .. aggregate[^16..]],
            "flip an MD5 byte" => [.. aggregate[..^1], (byte)(aggregate[^1] ^ 0x80)],
            "cut the last byte" => aggregate[..^1],
            _ => Magic,
        };

        var problem = new AggregatedRecordDecoder().TryDecode(damaged);

        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0x05, 0x61 }, "field 1 at byte 4 runs past the end")]
    [InlineData(new byte[] { 0x08, 0x01 }, "field 1 at byte 4 has wire type 0, not length-delimited")]
    [InlineData(new byte[] { 0x0A, 0x01, 0x61, 0x1A, 0x02, 0x1A, 0x00 }, "record 0 has no partition_key_index")]
    [InlineData(new byte[] { 0x0A, 0x01, 0x61, 0x1A, 0x02, 0x08, 0x00 }, "record 0 has no data")]
    [InlineData(new byte[] { 0x0A, 0x01, 0x61, 0x1A, 0x04, 0x08, 0x01, 0x1A, 0x00 }, "partition_key_index 1, but the table has 1 key(s)")]
    [InlineData(new byte[] { 0x0A, 0x01, 0x61, 0x1A, 0x06, 0x08, 0x00, 0x10, 0x00, 0x1A, 0x00 }, "explicit_hash_key_index 0, but the table has 0 key(s)")]
    [InlineData(new byte[] { 0x0A, 0x01, 0x61, 0x1A, 0x04, 0x0A, 0x00, 0x1A, 0x00 }, "record 0 field 1 has wire type 2, expected 0")]
    [InlineData(new byte[] { 0x0B, 0x00 }, "a field key at byte 4 is malformed")]
    [InlineData(new byte[] { 0x48, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, "unknown field 9 at byte 4 runs past the end")]
    [InlineData(new byte[] { 0x0A, 0x02, 0xC3, 0x28 }, "partition key 0 is not UTF-8")]
    [InlineData(new byte[] { 0x0A, 0x01, 0x61 }, "holds no user records")]
    [InlineData(new byte[0], "holds no user records")]
    public void Broken_protobuf_is_refused_naming_what_is_wrong(byte[] protobuf, string expected)
    {
#pragma warning disable CA5351 // The format's checksum is MD5.
        var md5 = Convert.ToHexString(System.Security.Cryptography.MD5.HashData(protobuf));
#pragma warning restore CA5351

        var problem = new AggregatedRecordDecoder().TryDecode(Aggregate(protobuf, md5));

        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_records_are_not_aggregates_and_the_base64_prefix_tells_them_apart_undecoded()
    {
        var aggregate = Aggregate(OneRecord, OneRecordMd5);
        Assert.True(KplFormat.IsAggregated(aggregate));
        Assert.False(KplFormat.IsAggregated("{\"ride\":{}}"u8));
        Assert.StartsWith(Encoding.ASCII.GetString(KplFormat.Base64Prefix), Convert.ToBase64String(aggregate), StringComparison.Ordinal);
        Assert.False(Convert.ToBase64String("{\"ride\":{}}"u8).StartsWith(Encoding.ASCII.GetString(KplFormat.Base64Prefix), StringComparison.Ordinal));
    }

    [Fact]
    public void Decoding_a_second_aggregate_with_the_same_decoder_allocates_nothing()
    {
        var decoder = new AggregatedRecordDecoder();
        var builder = new AggregatedRecordBuilder();
        for (var i = 0; i < 200; i++)
        {
            builder.TryAdd($"k{i}", Encoding.UTF8.GetBytes($"record {i}"));
        }

        var aggregate = builder.Build();
        Assert.Null(decoder.TryDecode(aggregate));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var problem = decoder.TryDecode(aggregate);
        var total = 0;
        for (var i = 0; i < decoder.Count; i++)
        {
            total += decoder.Data(aggregate, i).Length + decoder.PartitionKey(aggregate, i).Length;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Null(problem);
        Assert.True(total > 0);
    }

    [Fact]
    public async Task KinesisBatchPublisher_can_aggregate_and_counts_user_records_and_Kinesis_records()
    {
        var writer = new CapturingWriter();
        var publisher = new KinesisBatchPublisher(writer, "s", KinesisRetryPolicy.WithoutDelay(3), aggregate: true);
        for (var i = 0; i < 1_000; i++)
        {
            await publisher.AddAsync(Encoding.UTF8.GetBytes($"{{\"ride_id\":\"r-{i}\",\"pad\":\"{new string('x', 80)}\"}}"), $"r-{i}", default);
        }

        await publisher.FlushAsync(default);

        Assert.Equal(1_000, publisher.Sent);
        var entries = writer.Entries;
        Assert.Equal(entries.Count, publisher.KinesisRecordsSent);
        Assert.InRange(entries.Count, 2, 10);
        Assert.All(entries, e => Assert.True(e.Data.Length <= AggregatedRecordBuilder.DefaultMaxBytes));
        var decoded = entries.SelectMany(e => Decode(e.Data.ToArray())).ToList();
        Assert.Equal(Enumerable.Range(0, 1_000).Select(i => $"r-{i}"), decoded.Select(d => d.Key));
        Assert.Equal(entries.Select(e => Decode(e.Data.ToArray())[0].Key), entries.Select(e => e.PartitionKey));
    }

    private sealed class CapturingWriter : IKinesisWriter
    {
        public List<PutRecordsEntry> Entries { get; } = [];

        public Task<PutRecordsResult> PutRecordsAsync(string streamName, IReadOnlyList<PutRecordsEntry> entries, CancellationToken cancellationToken)
        {
            Entries.AddRange(entries);
            return Task.FromResult(new PutRecordsResult(0, [.. entries.Select(_ => new PutRecordsResultEntry("1", "shardId-0", null, null))]));
        }
    }
}
