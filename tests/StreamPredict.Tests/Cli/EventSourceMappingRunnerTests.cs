using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.Kinesis;
using StreamPredict.LocalLambda.EventSourceMapping;
using StreamPredict.LocalLambda.Runtime;

namespace StreamPredict.Tests.Cli;

public sealed class EventSourceMappingRunnerTests
{
    /// <summary>Records every delivery; reports each sequence number in <see cref="FailOnce"/> as a batchItemFailure the first time.</summary>
    private sealed class RecordingFunction : ILocalFunction
    {
        public List<(string Shard, string Sequence)> Delivered { get; } = [];
        public HashSet<string> FailOnce { get; init; } = [];
        public int CrashAfterInvocations { get; init; } = int.MaxValue;
        public bool HasExited { get; set; }
        public int Starts { get; set; }
        private int _invocations;

        public Task<FunctionResult> InvokeAsync(ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (++_invocations > CrashAfterInvocations && Starts == 1)
            {
                HasExited = true;
                return Task.FromResult(new FunctionResult(FunctionResultKind.Crash, null, null, "exit code 134 (fake)"));
            }

            using var document = JsonDocument.Parse(payload);
            var failed = new List<string>();
            foreach (var record in document.RootElement.GetProperty("Records").EnumerateArray())
            {
                var sequence = record.GetProperty("kinesis").GetProperty("sequenceNumber").GetString()!;
                lock (Delivered)
                {
                    Delivered.Add((record.GetProperty("eventID").GetString()!.Split(':')[0], sequence));
                    if (FailOnce.Remove(sequence))
                    {
                        failed.Add($$"""{"itemIdentifier":"{{sequence}}"}""");
                    }
                }
            }

            var response = "{\"batchItemFailures\":[" + string.Join(",", failed) + "]}";
            return Task.FromResult(new FunctionResult(FunctionResultKind.Response, Encoding.UTF8.GetBytes(response), null, null));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static async Task<EventSourceMappingRunner> RunAsync(FakeKinesisService kinesisService, RecordingFunction function, long records)
    {
        var environment = new AwsEnvironment
        {
            Region = "us-east-1",
            KinesisEndpoint = new Uri("http://kinesis.fake"),
            Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
        };
        using var kinesis = new KinesisClient(environment, kinesisService, KinesisRetryPolicy.WithoutDelay(1), TimeProvider.System);
        var options = new RunOptions
        {
            Stream = "rides",
            BatchSize = 7,
            BatchingWindow = TimeSpan.Zero,
            PollInterval = TimeSpan.FromMilliseconds(5),
            ErrorBackoff = TimeSpan.FromMilliseconds(1),
            MaxRecords = records,
        };
        var runner = new EventSourceMappingRunner(kinesis, options, _ =>
        {
            // The same recording instance "restarts": a crash marks it exited, a start revives it.
            function.Starts++;
            function.HasExited = false;
            return Task.FromResult<ILocalFunction>(function);
        }, _ => { });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await runner.RunAsync(null, timeout.Token);
        return runner;
    }

    [Fact]
    public async Task Connection_failures_and_expired_iterators_resume_from_the_checkpoint_and_lose_nothing()
    {
        var service = new FakeKinesisService(shards: 2, recordsPerShard: 40)
        {
            RefuseGetRecordsCalls = [3, 4, 9],
            ExpireGetRecordsCalls = [6, 12],
        };
        var function = new RecordingFunction();

        using var runner = await RunAsync(service, function, records: 80);

        Assert.Equal(80, runner.Stats.RecordsDone);
        Assert.Equal(5, runner.Stats.KinesisErrors);
        Assert.True(service.AllSequenceNumbers.ToHashSet().SetEquals(function.Delivered.Select(delivery => delivery.Sequence)));
        Assert.Equal("1000039", runner.Checkpoint!.Get(FakeKinesisService.ShardId(0)));
        Assert.Equal("2000039", runner.Checkpoint.Get(FakeKinesisService.ShardId(1)));
    }

    [Fact]
    public async Task Each_shard_is_delivered_in_order_and_a_reported_failure_is_re_read_from_that_record()
    {
        var service = new FakeKinesisService(shards: 2, recordsPerShard: 30);
        var function = new RecordingFunction { FailOnce = ["1000010", "2000003"] };

        using var runner = await RunAsync(service, function, records: 60);

        Assert.Equal(60, runner.Stats.RecordsDone);
        Assert.Equal(2, runner.Stats.Delivery.ReportedItemFailures);
        foreach (var shard in new[] { FakeKinesisService.ShardId(0), FakeKinesisService.ShardId(1) })
        {
            var sequence = function.Delivered.Where(delivery => delivery.Shard == shard).Select(delivery => delivery.Sequence).ToList();
            // In order, except that after a failure the shard starts again at the failed record (at-least-once).
            var firstSeen = sequence.Distinct().ToList();
            Assert.Equal(firstSeen.Order(StringComparer.Ordinal), firstSeen);
            Assert.Equal(30, firstSeen.Count);
        }

        // The failed record and the rest of its batch came again; nothing before it did.
        Assert.Equal(2, function.Delivered.Count(delivery => delivery.Sequence == "1000010"));
        Assert.Equal(1, function.Delivered.Count(delivery => delivery.Sequence == "1000006"));
        Assert.True(runner.Stats.RecordsReread >= 2);
    }

    [Fact]
    public async Task A_crashed_function_is_replaced_and_the_batch_it_was_handling_is_delivered_again()
    {
        var service = new FakeKinesisService(shards: 1, recordsPerShard: 20);
        var function = new RecordingFunction { CrashAfterInvocations = 1 };

        using var runner = await RunAsync(service, function, records: 20);

        Assert.Equal(20, runner.Stats.RecordsDone);
        Assert.Equal(1, runner.Stats.FunctionRestarts);
        Assert.Equal(1, runner.Stats.Delivery.FunctionErrors);
        Assert.Equal(2, function.Starts);
        Assert.True(service.AllSequenceNumbers.ToHashSet().SetEquals(function.Delivered.Select(delivery => delivery.Sequence)));
    }
}
