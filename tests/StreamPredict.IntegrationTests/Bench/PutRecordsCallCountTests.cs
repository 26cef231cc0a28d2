using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Aws.Lambda.Context;
using StreamPredict.Cli.Tailing;
using StreamPredict.Function;
using StreamPredict.Aws.Lambda.Events;
using StreamPredict.Function.Observability;
using StreamPredict.IntegrationTests.Aws;
using StreamPredict.IntegrationTests.Infrastructure;
using StreamPredict.Model;

namespace StreamPredict.IntegrationTests.Bench;

/// <summary>The function's publish path against kinesis-local, counted at the HTTP layer: ⌈n/500⌉ PutRecords calls when nothing is throttled.</summary>
[Collection(Emulators.Collection)]
public sealed class PutRecordsCallCountTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task A_batch_of_1234_rides_takes_three_PutRecords_calls_and_every_prediction_arrives()
    {
        const int Rides = 1_234;
        var timeout = EmulatorFixture.TestTimeout();
        using var setup = emulators.CreateKinesisClient();
        var stream = await EmulatorFixture.CreateActiveStreamAsync(setup, "bench-count", 1, timeout);
        var counting = new CountingHandler();
        using var kinesis = new KinesisClient(emulators.Environment, counting, KinesisRetryPolicy.Default, TimeProvider.System);
        var model = CompiledModel.Load(File.ReadAllBytes(Path.Combine(emulators.RepositoryRoot, "tests", "StreamPredict.Tests", "TestData", "course-forest.model.json")));
        using var log = new JsonLog(Stream.Null);
        using var handler = new RideBatchHandler(model, kinesis, new RideBatchHandlerOptions { PredictionsStream = stream }, log);

        var payload = KinesisEventWriter.Write(Enumerable.Range(0, Rides).Select(i => new SourceRecord(
            Convert.ToBase64String(Encoding.UTF8.GetBytes(RideJson(i))),
            i.ToString(CultureInfo.InvariantCulture), $"4959033827149025660855969253836157109592157598{i:D10}", 1_700_000_000.5)));
        var response = new ArrayBufferWriter<byte>();
        await handler.HandleAsync(payload, new LambdaContext("count-1", DateTimeOffset.UtcNow.AddMinutes(2), "arn:aws:lambda:us-east-1:000000000000:function:count", null),
            response, timeout);

        using var answer = JsonDocument.Parse(response.WrittenMemory);
        Assert.Equal(0, answer.RootElement.GetProperty("batchItemFailures").GetArrayLength());
        Assert.Equal((Rides + 499) / 500, counting.Count("PutRecords"));
        var published = new HashSet<string>(StringComparer.Ordinal);
        await new StreamTailer(setup, stream).ReadAsync(false, false, record => { published.Add(record.Record.PartitionKey); return true; }, null, timeout);
        Assert.Equal(Rides, published.Count);
    }

    private static string RideJson(int i) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"ride\":{{\"PULocationID\":{1 + (i % 265)},\"DOLocationID\":{1 + (i * 7 % 265)},\"trip_distance\":{(i % 30) + 0.5}}},\"ride_id\":{i}}}");
}
