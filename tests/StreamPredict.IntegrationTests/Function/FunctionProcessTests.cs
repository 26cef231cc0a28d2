using System.Globalization;
using System.Text;
using System.Text.Json;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Aws.Lambda.Events;
using StreamPredict.IntegrationTests.Infrastructure;
using StreamPredict.Model;

namespace StreamPredict.IntegrationTests.Functions;

/// <summary>The built bootstrap.dll against the loopback Runtime API, the model in the S3 emulator, and kinesis-local.</summary>
[Collection(Emulators.Collection)]
public sealed class FunctionProcessTests(EmulatorFixture emulators)
{
    private static readonly TimeSpan InvokeTimeout = TimeSpan.FromSeconds(60);

    private string RepoFile(params string[] parts) => Path.Combine([emulators.RepositoryRoot, .. parts]);

    private sealed record Deployment(string Bucket, string Key, string Predictions, string Rejections, CompiledModel Model);

    /// <summary>The exported course forest in a fresh bucket, and fresh output streams.</summary>
    private async Task<Deployment> DeployAsync(KinesisClient kinesis, CancellationToken cancellationToken)
    {
        var artifact = await File.ReadAllBytesAsync(RepoFile("tests", "StreamPredict.Tests", "TestData", "course-forest.model.json"), cancellationToken);
        using var s3 = emulators.CreateObjectStore();
        var bucket = EmulatorFixture.UniqueName("models");
        await s3.EnsureBucketAsync(bucket, cancellationToken);
        var key = "1/e1efc53e9bd149078b0c12aeaa6365df/artifacts/model/model.json";
        await s3.PutAsync(bucket, key, artifact, cancellationToken, "application/json");
        var predictions = await EmulatorFixture.CreateActiveStreamAsync(kinesis, "predictions", 2, cancellationToken);
        var rejections = await EmulatorFixture.CreateActiveStreamAsync(kinesis, "rejections", 1, cancellationToken);
        return new Deployment(bucket, key, predictions, rejections, CompiledModel.Load(artifact));
    }

    private FunctionProcess Start(Deployment deployment) => FunctionProcess.Start(emulators, new Dictionary<string, string>
    {
        ["MODEL_BUCKET"] = deployment.Bucket,
        ["RUN_ID"] = "e1efc53e9bd149078b0c12aeaa6365df",
        ["PREDICTIONS_STREAM_NAME"] = deployment.Predictions,
        ["REJECTIONS_STREAM_NAME"] = deployment.Rejections,
    });

    private static async Task<JsonElement> InvokeAsync(FunctionProcess function, byte[] payload)
    {
        var outcome = await function.Runtime.InvokeAsync(payload, InvokeTimeout);
        Assert.True(outcome.Succeeded, $"{outcome.Error?.ErrorType}: {outcome.Error?.ErrorMessage}\n{string.Join('\n', function.Output)}");
        return JsonDocument.Parse(outcome.Response).RootElement.Clone();
    }

    [Fact]
    public async Task Each_sample_event_is_handled_by_the_built_function()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var kinesis = emulators.CreateKinesisClient();
        var deployment = await DeployAsync(kinesis, cancel.Token);
        await using var function = Start(deployment);

        var recordsIn = 0;
        foreach (var name in new[] { "course-ride.json", "tlc-batch-100.json", "poison-mixed.json" })
        {
            var payload = await File.ReadAllBytesAsync(RepoFile("events", name), cancel.Token);
            var response = await InvokeAsync(function, payload);
            Assert.Empty(response.GetProperty("batchItemFailures").EnumerateArray());
            using var sample = JsonDocument.Parse(payload);
            recordsIn += sample.RootElement.GetProperty("Records").GetArrayLength();
        }

        var predictions = await StreamReading.ReadAllAsync(kinesis, deployment.Predictions, cancel.Token);
        var letters = await StreamReading.ReadAllAsync(kinesis, deployment.Rejections, cancel.Token);
        var course = Assert.Single(predictions, p => p.GetProperty("prediction").GetProperty("ride_id").ValueKind == JsonValueKind.Number
            && p.GetProperty("prediction").GetProperty("ride_id").GetInt64() == 256);
        Assert.Equal(21.294545, course.GetProperty("prediction").GetProperty("ride_duration").GetDouble(), 1e-4);
        Assert.Equal("e1efc53e9bd149078b0c12aeaa6365df", course.GetProperty("version").GetString());
        // Nothing lost: every record is a prediction or a dead letter, and the poison mix covers every kind.
        Assert.Equal(recordsIn, predictions.Count + letters.Count);
        Assert.True(letters.Select(l => l.GetProperty("error_kind").GetString()).Distinct().Count() >= 17, $"{letters.Count} dead letters");
        Assert.All(letters, l => Assert.False(string.IsNullOrEmpty(l.GetProperty("source_sequence_number").GetString())));
    }

    [Fact]
    public async Task Ten_thousand_rides_all_reach_the_output_stream_with_the_model_s_predictions()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        using var kinesis = emulators.CreateKinesisClient();
        var deployment = await DeployAsync(kinesis, cancel.Token);
        await using var function = Start(deployment);

        var random = new Random(10_000);
        var rides = Enumerable.Range(0, 10_000).Select(i => (Id: i, Ride: new Ride(random.Next(1, 266), random.Next(1, 266), Math.Round(random.NextDouble() * 30, 2)))).ToList();
        var payload = KinesisEventWriter.Write(rides.Select(r => new SourceRecord(
            Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $$"""{"ride": {"PULocationID": {{r.Ride.PickupLocationId}}, "DOLocationID": {{r.Ride.DropoffLocationId}}, "trip_distance": {{r.Ride.TripDistance}}}, "ride_id": {{r.Id}}}"""))),
            r.Id.ToString(CultureInfo.InvariantCulture), (1_000_000 + r.Id).ToString(CultureInfo.InvariantCulture), 1700000000 + r.Id / 1000.0)));

        var response = await InvokeAsync(function, payload);

        Assert.Empty(response.GetProperty("batchItemFailures").EnumerateArray());
        var published = await StreamReading.ReadAllAsync(kinesis, deployment.Predictions, cancel.Token);
        Assert.Equal(10_000, published.Count);
        var byId = published.ToDictionary(p => p.GetProperty("prediction").GetProperty("ride_id").GetInt32(), p => p.GetProperty("prediction").GetProperty("ride_duration").GetDouble());
        foreach (var (id, ride) in rides)
        {
            Assert.Equal(deployment.Model.Predict(ride), byId[id]);
        }
    }

    [Fact]
    public async Task A_batch_of_100_with_one_poison_record_gives_99_predictions_and_1_dead_letter()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var kinesis = emulators.CreateKinesisClient();
        var deployment = await DeployAsync(kinesis, cancel.Token);
        await using var function = Start(deployment);

        var records = Enumerable.Range(0, 100).Select(i => i == 37
            ? "{\"ride\": {\"PULocationID\": 130, \"DOLocationID\": 205}, \"ride_id\": 37}"
            : $"{{\"ride\": {{\"PULocationID\": 130, \"DOLocationID\": 205, \"trip_distance\": {i}}}, \"ride_id\": {i}}}");
        var payload = KinesisEventWriter.Write(records.Select((text, i) => new SourceRecord(
            Convert.ToBase64String(Encoding.UTF8.GetBytes(text)), "k", (5000 + i).ToString(CultureInfo.InvariantCulture), 1700000000)));

        var response = await InvokeAsync(function, payload);

        Assert.Empty(response.GetProperty("batchItemFailures").EnumerateArray());
        Assert.Equal(99, (await StreamReading.ReadAllAsync(kinesis, deployment.Predictions, cancel.Token)).Count);
        var letter = Assert.Single(await StreamReading.ReadAllAsync(kinesis, deployment.Rejections, cancel.Token));
        Assert.Equal("distance_missing", letter.GetProperty("error_kind").GetString());
        Assert.Equal("5037", letter.GetProperty("source_sequence_number").GetString());
        await function.WaitForOutputAsync(line => line.Contains("\"errorKind\":\"distance_missing\"", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_missing_model_posts_an_init_error_naming_the_bucket_and_key_and_exits()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var s3 = emulators.CreateObjectStore();
        var bucket = EmulatorFixture.UniqueName("empty");
        await s3.EnsureBucketAsync(bucket, cancel.Token);
        await using var function = FunctionProcess.Start(emulators, new Dictionary<string, string>
        {
            ["MODEL_BUCKET"] = bucket,
            ["RUN_ID"] = "no-such-run",
        });

        var error = await function.Runtime.InitError.WaitAsync(TimeSpan.FromSeconds(60), cancel.Token);

        Assert.Contains(bucket, error.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("1/no-such-run/artifacts/model/model.json", error.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("RUN_ID", error.ErrorMessage, StringComparison.Ordinal);
        Assert.NotEqual(0, await function.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task TEST_RUN_with_a_local_model_answers_the_course_prediction_without_publishing()
    {
        await using var function = FunctionProcess.Start(emulators, new Dictionary<string, string>
        {
            ["MODEL_LOCATION"] = RepoFile("tests", "StreamPredict.Tests", "TestData", "course-forest.model.json"),
            ["TEST_RUN"] = "True",
        });

        var response = await InvokeAsync(function, await File.ReadAllBytesAsync(RepoFile("events", "course-ride.json")));

        var prediction = Assert.Single(response.GetProperty("predictions").EnumerateArray());
        Assert.Equal(21.294545, prediction.GetProperty("prediction").GetProperty("ride_duration").GetDouble(), 1e-4);
        Assert.Equal(256, prediction.GetProperty("prediction").GetProperty("ride_id").GetInt32());
        using var metricsLine = JsonDocument.Parse(await function.WaitForOutputAsync(line => line.Contains("\"_aws\"", StringComparison.Ordinal), TimeSpan.FromSeconds(10)));
        var metrics = metricsLine.RootElement;
        Assert.Equal(1, metrics.GetProperty("ColdStart").GetInt32());
        Assert.Equal(1, metrics.GetProperty("Predictions").GetInt32());
    }
}
