using StreamPredict.Aws.Kinesis;

namespace StreamPredict.Tests.Aws;

public sealed class PutRecordsBatcherTests
{
    /// <summary>An asynchronous in-memory Kinesis: each call takes a little real time, so calls overlap as they would over the network.</summary>
    private sealed class SlowKinesis(int seed = 1) : IKinesisWriter
    {
        private readonly Lock _gate = new();
        private readonly Random _random = new(seed);
        private int _inFlight;

        public int MaxInFlight { get; private set; }

        public List<(string Stream, int Entries)> Calls { get; } = [];

        /// <summary>Every stored record, by stream: a key stored twice is a duplicate.</summary>
        public List<(string Stream, string Key)> Stored { get; } = [];

        public double ThrottledShare { get; init; }

        public int Throttled { get; private set; }

        public Func<string, Exception?> Throw { get; init; } = _ => null;

        public async Task<PutRecordsResult> PutRecordsAsync(string streamName, IReadOnlyList<PutRecordsEntry> entries, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                _inFlight++;
                MaxInFlight = Math.Max(MaxInFlight, _inFlight);
                Calls.Add((streamName, entries.Count));
            }

            try
            {
                await Task.Delay(20, cancellationToken);
                if (Throw(streamName) is { } exception)
                {
                    throw exception;
                }

                lock (_gate)
                {
                    var results = new List<PutRecordsResultEntry>(entries.Count);
                    foreach (var entry in entries)
                    {
                        if (_random.NextDouble() < ThrottledShare)
                        {
                            Throttled++;
                            results.Add(new PutRecordsResultEntry(null, null, "ProvisionedThroughputExceededException", "Rate exceeded"));
                        }
                        else
                        {
                            Stored.Add((streamName, entry.PartitionKey));
                            results.Add(new PutRecordsResultEntry("1", "shardId-000000000000", null, null));
                        }
                    }

                    return new PutRecordsResult(results.Count(r => !r.Succeeded), results);
                }
            }
            finally
            {
                lock (_gate)
                {
                    _inFlight--;
                }
            }
        }
    }

    private static PutRecordsBatch Batch(string stream, int count, string prefix = "k")
        => new(stream, [.. Enumerable.Range(0, count).Select(i => new PutRecordsEntry(new byte[100], $"{prefix}{i}"))]);

    private static readonly KinesisRetryPolicy Retry = KinesisRetryPolicy.WithoutDelay(20);

    [Fact]
    public async Task Chunks_go_out_concurrently_up_to_the_bound_and_no_further_with_one_call_per_500_entries()
    {
        var kinesis = new SlowKinesis();
        var batch = Batch("out", 10_000);

        await new PutRecordsBatcher(kinesis, Retry, concurrency: 8).PublishAsync([batch], DateTimeOffset.MaxValue, default);

        Assert.Equal(20, kinesis.Calls.Count);
        Assert.Equal(8, kinesis.MaxInFlight);
        Assert.Equal(20, batch.Calls);
        Assert.Empty(batch.Unpublished);
        Assert.Equal(PutRecordsStop.None, batch.Stop);
        Assert.Equal(10_000, kinesis.Stored.Select(s => s.Key).Distinct().Count());
    }

    [Fact]
    public async Task A_bound_of_one_sends_one_call_at_a_time()
    {
        var kinesis = new SlowKinesis();

        await new PutRecordsBatcher(kinesis, Retry, concurrency: 1).PublishAsync([Batch("out", 1_200)], DateTimeOffset.MaxValue, default);

        Assert.Equal([500, 500, 200], kinesis.Calls.Select(c => c.Entries));
        Assert.Equal(1, kinesis.MaxInFlight);
    }

    [Fact]
    public async Task Two_streams_are_published_together_sharing_the_bound()
    {
        var kinesis = new SlowKinesis();
        var predictions = Batch("predictions", 1_000);
        var deadLetters = Batch("rejections", 10, "d");

        await new PutRecordsBatcher(kinesis, Retry, concurrency: 8).PublishAsync([predictions, deadLetters], DateTimeOffset.MaxValue, default);

        Assert.Equal(3, kinesis.MaxInFlight);
        Assert.Equal(1_000, kinesis.Stored.Count(s => s.Stream == "predictions"));
        Assert.Equal(10, kinesis.Stored.Count(s => s.Stream == "rejections"));
    }

    [Fact]
    public async Task Under_throttling_only_failed_entries_are_resent_and_each_is_stored_exactly_once()
    {
        var kinesis = new SlowKinesis(seed: 5) { ThrottledShare = 0.3 };
        var batch = Batch("out", 5_000);

        await new PutRecordsBatcher(kinesis, Retry, concurrency: 8).PublishAsync([batch], DateTimeOffset.MaxValue, default);

        Assert.Empty(batch.Unpublished);
        Assert.Equal(5_000, kinesis.Stored.Count);
        Assert.Equal(5_000, kinesis.Stored.Select(s => s.Key).Distinct().Count());
        Assert.Equal(kinesis.Throttled, batch.Retried);
        Assert.Equal(5_000 + kinesis.Throttled, kinesis.Calls.Sum(c => c.Entries));
    }

    [Fact]
    public async Task Entries_failing_past_the_last_attempt_are_left_unpublished_in_entry_order()
    {
        var kinesis = new SlowKinesis(seed: 9) { ThrottledShare = 0.5 };
        var batch = Batch("out", 1_000);

        await new PutRecordsBatcher(kinesis, KinesisRetryPolicy.WithoutDelay(2), concurrency: 4).PublishAsync([batch], DateTimeOffset.MaxValue, default);

        Assert.Equal(PutRecordsStop.RetriesExhausted, batch.Stop);
        Assert.NotEmpty(batch.Unpublished);
        Assert.Equal(batch.Unpublished.Order(), batch.Unpublished);
        Assert.Equal(1_000, kinesis.Stored.Count + batch.Unpublished.Count);
        Assert.Empty(kinesis.Stored.Select(s => s.Key).Intersect(batch.Unpublished.Select(i => $"k{i}")));
        Assert.Contains("ProvisionedThroughputExceededException", batch.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_permanent_error_stops_its_stream_after_one_round_while_the_other_stream_is_published()
    {
        var kinesis = new SlowKinesis
        {
            Throw = stream => stream == "missing" ? KinesisErrors.Create("PutRecords", "ResourceNotFoundException", 400, "Stream missing not found.") : null,
        };
        var missing = Batch("missing", 10_000);
        var other = Batch("rejections", 700, "d");

        await new PutRecordsBatcher(kinesis, Retry, concurrency: 4).PublishAsync([missing, other], DateTimeOffset.MaxValue, default);

        Assert.Equal(PutRecordsStop.PermanentError, missing.Stop);
        Assert.Equal("ResourceNotFoundException", missing.PermanentErrorCode);
        Assert.Equal(Enumerable.Range(0, 10_000), missing.Unpublished);
        Assert.InRange(kinesis.Calls.Count(c => c.Stream == "missing"), 1, 4);
        Assert.Equal(0, missing.Retried);
        Assert.Equal(PutRecordsStop.None, other.Stop);
        Assert.Equal(700, kinesis.Stored.Count(s => s.Stream == "rejections"));
    }

    [Fact]
    public async Task A_deadline_already_past_starts_no_call_and_leaves_everything_unpublished()
    {
        var kinesis = new SlowKinesis();
        var batch = Batch("out", 600);

        await new PutRecordsBatcher(kinesis, Retry).PublishAsync([batch], DateTimeOffset.UtcNow.AddSeconds(-1), default);

        Assert.Empty(kinesis.Calls);
        Assert.Equal(PutRecordsStop.Deadline, batch.Stop);
        Assert.Equal(600, batch.Unpublished.Count);
    }

    [Fact]
    public async Task Calls_in_flight_at_the_deadline_are_cut_off_and_reported()
    {
        var kinesis = new SlowKinesis();
        var batch = Batch("out", 2_000);

        // Each call takes 20 ms: a deadline 5 ms away cuts off the first round.
        await new PutRecordsBatcher(kinesis, Retry).PublishAsync([batch], DateTimeOffset.UtcNow.AddMilliseconds(5), default);

        Assert.Equal(PutRecordsStop.Deadline, batch.Stop);
        Assert.Equal(2_000, batch.Unpublished.Count + kinesis.Stored.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void A_bound_outside_1_to_64_is_refused(int concurrency)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new PutRecordsBatcher(new SlowKinesis(), Retry, concurrency));
}
