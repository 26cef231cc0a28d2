using System.Text.Json;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Cli.Producing;
using StreamPredict.Serving.Rides;
using StreamPredict.Model;
using StreamPredict.Tests.Model;

namespace StreamPredict.Tests.Cli;

public sealed class ProducerTests
{
    /// <summary>Fails the entries whose partition key is in <see cref="FailOnce"/> the first time it sees them.</summary>
    private sealed class FakeKinesis : IKinesisWriter
    {
        public List<IReadOnlyList<PutRecordsEntry>> Calls { get; } = [];
        public HashSet<string> FailOnce { get; init; } = [];
        public bool AlwaysFail { get; init; }

        public Task<PutRecordsResult> PutRecordsAsync(string streamName, IReadOnlyList<PutRecordsEntry> entries, CancellationToken cancellationToken)
        {
            Calls.Add([.. entries]);
            var results = entries.Select(entry => AlwaysFail || FailOnce.Remove(entry.PartitionKey)
                ? new PutRecordsResultEntry(null, null, "ProvisionedThroughputExceededException", "slow down")
                : new PutRecordsResultEntry("1", "shardId-0", null, null)).ToList();
            return Task.FromResult(new PutRecordsResult(results.Count(result => !result.Succeeded), results));
        }
    }

    private static readonly KinesisRetryPolicy NoDelay = KinesisRetryPolicy.WithoutDelay(5);

    [Fact]
    public void A_ride_event_has_the_course_shape()
    {
        var json = new RideEvent("ride-1", new Ride(130, 205, 3.66)).ToUtf8Json();

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(["ride", "ride_id"], root.EnumerateObject().Select(property => property.Name));
        Assert.Equal(130, root.GetProperty("ride").GetProperty("PULocationID").GetInt32());
        Assert.Equal(205, root.GetProperty("ride").GetProperty("DOLocationID").GetInt32());
        Assert.Equal(3.66, root.GetProperty("ride").GetProperty("trip_distance").GetDouble());
        Assert.Equal("ride-1", root.GetProperty("ride_id").GetString());
    }

    [Fact]
    public void Ride_ids_are_unique_even_when_the_trips_repeat()
    {
        var data = ModelTestFiles.TestData(Path.Combine("tlc", "green_tripdata_2021-02.sample.csv.gz"));
        var trips = StreamPredict.Data.Tlc.TlcDataset.ReadFile(data).Rows.Count;

        var rides = TlcRideSource.Read(data, trips + 10, "p");

        Assert.Equal(trips + 10, rides.Count);
        Assert.Equal(rides.Count, rides.Select(ride => ride.RideId).Distinct().Count());
        Assert.Equal("p-0000000", rides[0].RideId);
        Assert.Equal(rides[0].Ride, rides[trips].Ride);
    }

    [Fact]
    public async Task The_publisher_sends_at_most_500_entries_per_call()
    {
        var kinesis = new FakeKinesis();
        var publisher = new KinesisBatchPublisher(kinesis, "s", NoDelay);
        for (var i = 0; i < 1_234; i++)
        {
            await publisher.AddAsync(new byte[10], $"k{i}", default);
        }

        await publisher.FlushAsync(default);

        Assert.Equal([500, 500, 234], kinesis.Calls.Select(call => call.Count));
        Assert.Equal(1_234, publisher.Sent);
        Assert.Equal(3, publisher.PutRecordsCalls);
    }

    [Fact]
    public async Task Failed_entries_and_only_they_are_sent_again()
    {
        var kinesis = new FakeKinesis { FailOnce = ["k3", "k7"] };
        var publisher = new KinesisBatchPublisher(kinesis, "s", NoDelay);
        for (var i = 0; i < 10; i++)
        {
            await publisher.AddAsync(new byte[1], $"k{i}", default);
        }

        await publisher.FlushAsync(default);

        Assert.Equal(["k3", "k7"], kinesis.Calls[1].Select(entry => entry.PartitionKey));
        Assert.Equal(10, publisher.Sent);
        Assert.Equal(2, publisher.Resent);
    }

    [Fact]
    public async Task Entries_that_never_succeed_fail_loudly_with_the_stream_and_error()
    {
        var publisher = new KinesisBatchPublisher(new FakeKinesis { AlwaysFail = true }, "ride_events", NoDelay);
        await publisher.AddAsync(new byte[1], "k", default);

        var error = await Assert.ThrowsAsync<KinesisException>(() => publisher.FlushAsync(default));

        Assert.Contains("ride_events", error.Message, StringComparison.Ordinal);
        Assert.Contains("ProvisionedThroughputExceededException", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_over_one_mebibyte_is_refused()
    {
        var publisher = new KinesisBatchPublisher(new FakeKinesis(), "s", NoDelay);

        await Assert.ThrowsAsync<ArgumentException>(async () => await publisher.AddAsync(new byte[1024 * 1024], "k", default));
    }

    [Fact]
    public async Task The_producer_sends_every_ride_with_its_id_as_partition_key()
    {
        var kinesis = new FakeKinesis();
        var rides = Enumerable.Range(0, 700).Select(n => new RideEvent($"r-{n}", new Ride(1, 2, n))).ToList();

        var result = await new RideEventProducer(kinesis, "s").ProduceAsync(rides);

        Assert.Equal(700, result.Sent);
        Assert.Equal(2, result.PutRecordsCalls);
        Assert.Equal(rides.Select(ride => ride.RideId), kinesis.Calls.SelectMany(call => call).Select(entry => entry.PartitionKey));
    }

    [Fact]
    public async Task With_a_rate_rides_are_sent_once_the_oldest_has_lingered_rather_than_in_batches_of_500()
    {
        var kinesis = new FakeKinesis();
        var rides = Enumerable.Range(0, 300).Select(n => new RideEvent($"r-{n}", new Ride(1, 2, 1))).ToList();

        // 1,000 rides/s with a 100 ms linger: a batch every 100 rides of schedule.
        var result = await new RideEventProducer(kinesis, "s").ProduceAsync(rides, ratePerSecond: 1_000);

        Assert.Equal(300, result.Sent);
        Assert.Equal([100, 100, 100], kinesis.Calls.Select(call => call.Count));
    }
}
