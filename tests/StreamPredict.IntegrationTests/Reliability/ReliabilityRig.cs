using System.Globalization;
using System.Text;
using System.Text.Json;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Aws.Lambda.Events;
using StreamPredict.IntegrationTests.Faults;
using StreamPredict.IntegrationTests.Functions;
using StreamPredict.IntegrationTests.Infrastructure;

namespace StreamPredict.IntegrationTests.Reliability;

/// <summary>The built function with the course forest from a local file, its two output streams, and optionally a fault proxy in front of Kinesis.</summary>
internal sealed class ReliabilityRig(EmulatorFixture emulators) : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    public KinesisClient Kinesis { get; } = emulators.CreateKinesisClient();

    public string Predictions { get; private set; } = "";

    public string Rejections { get; private set; } = "";

    public string CourseForest => Path.Combine(emulators.RepositoryRoot, "tests", "StreamPredict.Tests", "TestData", "course-forest.model.json");

    public string RepoFile(params string[] parts) => Path.Combine([emulators.RepositoryRoot, .. parts]);

    /// <summary>Fresh output streams; one shard (the default) keeps each stream's records in write order.</summary>
    public async Task CreateStreamsAsync(CancellationToken cancellationToken, int predictionShards = 1)
    {
        Predictions = await EmulatorFixture.CreateActiveStreamAsync(Kinesis, "rel-predictions", predictionShards, cancellationToken);
        Rejections = await EmulatorFixture.CreateActiveStreamAsync(Kinesis, "rel-rejections", 1, cancellationToken);
    }

    public KinesisFaultProxy StartProxy(FaultPlan plan)
    {
        var proxy = KinesisFaultProxy.Start(emulators.Environment.KinesisEndpoint, plan, emulators.Environment.Credentials.GetCredentials(), emulators.Environment.Region);
        _owned.Add(proxy);
        return proxy;
    }

    /// <summary>The real bootstrap process publishing to the streams, through <paramref name="proxy"/> when given.</summary>
    public FunctionProcess StartFunction(KinesisFaultProxy? proxy = null, IReadOnlyDictionary<string, string>? extra = null)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["MODEL_LOCATION"] = CourseForest,
            ["PREDICTIONS_STREAM_NAME"] = Predictions,
            ["REJECTIONS_STREAM_NAME"] = Rejections,
        };
        if (proxy is not null)
        {
            variables["AWS_ENDPOINT_URL_KINESIS"] = proxy.Endpoint.ToString().TrimEnd('/');
        }

        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        var function = FunctionProcess.Start(emulators, variables);
        _owned.Add(function);
        return function;
    }

    /// <summary>A Lambda Kinesis event of <paramref name="count"/> good rides with ride_ids PREFIX-n and sequence numbers 1000000+n.</summary>
    public static byte[] Rides(int count, string prefix, int seed = 1)
    {
        var random = new Random(seed);
        return KinesisEventWriter.Write(Enumerable.Range(0, count).Select(i => new SourceRecord(
            Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $$"""{"ride": {"PULocationID": {{random.Next(1, 266)}}, "DOLocationID": {{random.Next(1, 266)}}, "trip_distance": {{Math.Round(random.NextDouble() * 20, 2)}}}, "ride_id": "{{prefix}}-{{i}}"}"""))),
            $"{prefix}-{i}", Sequence(i), 1700000000 + i / 1000.0)));
    }

    public static string Sequence(int i) => (1_000_000 + i).ToString(CultureInfo.InvariantCulture);

    public static string RideId(JsonElement prediction) => prediction.GetProperty("prediction").GetProperty("ride_id").GetString()!;

    public static List<string> FailureIds(JsonElement response)
        => [.. response.GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString()!)];

    public Task<List<JsonElement>> ReadAsync(string stream, CancellationToken cancellationToken) => StreamReading.ReadAllAsync(Kinesis, stream, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        Kinesis.Dispose();
    }
}
