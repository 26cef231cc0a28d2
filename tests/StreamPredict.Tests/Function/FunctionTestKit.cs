using System.Text;
using System.Text.Json;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Aws.Lambda.Context;
using StreamPredict.Aws.Lambda.Events;
using StreamPredict.Model;
using StreamPredict.Model.Artifact;

namespace StreamPredict.Tests.Functions;

internal sealed class TestContext(ManualClock clock, DateTimeOffset deadline, string requestId = "req-1") : ILambdaContext
{
    public string AwsRequestId => requestId;
    public DateTimeOffset Deadline => deadline;
    public TimeSpan RemainingTime => deadline - clock.Now;
    public string InvokedFunctionArn => "arn:aws:lambda:us-east-1:000000000000:function:test";
    public string? TraceId => null;
}

internal sealed record PutCall(string Stream, List<(byte[] Data, string PartitionKey)> Entries)
{
    public int Bytes => Entries.Sum(e => e.Data.Length + Encoding.UTF8.GetByteCount(e.PartitionKey));
}

/// <summary>Records every PutRecords call; <see cref="Fail"/> decides per (call, entry) which entries are throttled.</summary>
internal sealed class FakeKinesisWriter : IKinesisWriter
{
    public List<PutCall> Calls { get; } = [];

    /// <summary>(callIndex, stream, partitionKey) → true to fail that entry with ProvisionedThroughputExceededException.</summary>
    public Func<int, string, string, bool> Fail { get; set; } = (_, _, _) => false;

    /// <summary>The ErrorCode of an entry <see cref="Fail"/> fails.</summary>
    public string FailCode { get; set; } = "ProvisionedThroughputExceededException";

    /// <summary>callIndex → an exception to throw instead of answering.</summary>
    public Func<int, Exception?> Throw { get; set; } = _ => null;

    private readonly Lock _gate = new();

    public Task<PutRecordsResult> PutRecordsAsync(string streamName, IReadOnlyList<PutRecordsEntry> entries, CancellationToken cancellationToken)
    {
        int index;
        lock (_gate)
        {
            // The publisher makes calls concurrently.
            index = Calls.Count;
            Calls.Add(new PutCall(streamName, entries.Select(e => (e.Data.ToArray(), e.PartitionKey)).ToList()));
        }

        if (Throw(index) is { } exception)
        {
            throw exception;
        }

        var results = entries.Select((e, i) => Fail(index, streamName, e.PartitionKey)
            ? new PutRecordsResultEntry(null, null, FailCode, "Rate exceeded")
            : new PutRecordsResultEntry($"seq-{index}-{i}", "shardId-000000000000", null, null)).ToList();
        return Task.FromResult(new PutRecordsResult(results.Count(r => !r.Succeeded), results));
    }

    /// <summary>The records that reached a stream, as parsed JSON (last write wins per partition key is NOT applied).</summary>
    public List<JsonElement> Published(string stream)
        => Calls.Where(c => c.Stream == stream)
            .SelectMany(c => c.Entries)
            .Select(e => JsonDocument.Parse(e.Data).RootElement)
            .ToList();
}

internal static class TestModels
{
    public const string Version = "test-run-1";

    /// <summary>duration = 10 + 5·[PU_DO=130_205] + 2·distance.</summary>
    public static byte[] LinearArtifact() => ModelArtifactWriter.Write(new ModelArtifact
    {
        Name = "linear-test",
        Version = Version,
        Features = new FeatureSpec { Columns = ["PU_DO=130_205", "trip_distance"] },
        Estimator = new EstimatorSpec { Kind = EstimatorSpec.LinearKind, Intercept = 10, Weights = [5, 2] },
        Training = new TrainingMetadata { Producer = "unit-test", Source = "hand-written" },
    });

    public static CompiledModel Linear() => CompiledModel.Load(LinearArtifact());

    public static double Expected(int pickup, int dropoff, double distance)
        => 10 + (pickup == 130 && dropoff == 205 ? 5 : 0) + 2 * distance;
}

/// <summary>Builds Lambda Kinesis events in the exact shape Lambda sends.</summary>
internal static class KinesisEvents
{
    public const string Shard = "shardId-000000000000";

    public static string Sequence(int i) => $"4963008166608487929058118563032477039860870488080252{i:D4}";

    public static string Ride(int pickup, int dropoff, double distance, string rideIdJson)
        => $$"""{"ride": {"PULocationID": {{pickup}}, "DOLocationID": {{dropoff}}, "trip_distance": {{distance.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}, "ride_id": {{rideIdJson}}}""";

    /// <summary>Each record is either text (base64-encoded here) or, with a "raw:" prefix, the data field verbatim.</summary>
    public static byte[] Build(IEnumerable<string> records) => BuildBase64(records.Select(r =>
        r.StartsWith("raw:", StringComparison.Ordinal) ? r[4..] : Convert.ToBase64String(Encoding.UTF8.GetBytes(r))));

    public static byte[] BuildBytes(IEnumerable<byte[]> records) => BuildBase64(records.Select(Convert.ToBase64String));

    public static byte[] BuildBase64(IEnumerable<string> base64Records)
        => KinesisEventWriter.Write(base64Records.Select((data, i) => new SourceRecord(data, "1", Sequence(i), 1654161514.132 + i, Shard)));
}
