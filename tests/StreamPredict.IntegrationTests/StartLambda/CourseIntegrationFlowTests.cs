using System.Net;
using System.Text.Json;
using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.Kinesis;
using StreamPredict.IntegrationTests.Infrastructure;
using static StreamPredict.IntegrationTests.StartLambda.InvokeHttp;

namespace StreamPredict.IntegrationTests.StartLambda;

/// <summary>
/// The course's integration test (06-best-practices/code/integraton-test) against `streampredict start-lambda`, written
/// in C# from its facts: docker-compose.yaml's variables, run.sh's one-shard ride_predictions stream, test_docker.py's
/// request and expected answer, test_kinesis.py's TRIM_HORIZON read of shardId-000000000000.
/// </summary>
/// <remarks>
/// The course's lambda returns <c>{"predictions": […]}</c> and also publishes them. Ours returns the predictions only in a
/// dry run (TEST_RUN=True) and otherwise answers Lambda's <c>{"batchItemFailures": […]}</c>, so test_docker.py's answer
/// is checked with TEST_RUN=True and test_kinesis.py's record with TEST_RUN unset, each against its own start-lambda.
/// (Run unchanged against the second, test_docker.py passes anyway: DeepDiff sees only added and removed keys, and the
/// course asserts on changed values and types alone.)
/// </remarks>
[Collection(Emulators.Collection)]
public sealed class CourseIntegrationFlowTests(EmulatorFixture emulators) : IDisposable
{
    private const string PredictionsStream = "ride_predictions";
    private const string ShardId = "shardId-000000000000";
    private readonly string _modelFolder = Directory.CreateTempSubdirectory("course-model-").FullName;

    public void Dispose() => Directory.Delete(_modelFolder, recursive: true);

    /// <summary>docker-compose.yaml's environment for the backend, with kinesis-local in place of the localstack service.</summary>
    private Dictionary<string, string?> ComposeVariables() => new(StringComparer.Ordinal)
    {
        ["PREDICTIONS_STREAM_NAME"] = PredictionsStream,
        ["RUN_ID"] = "Test123",
        ["AWS_DEFAULT_REGION"] = "eu-west-1",
        ["MODEL_LOCATION"] = _modelFolder,
        ["KINESIS_ENDPOINT_URL"] = emulators.Environment.KinesisEndpoint.ToString(),
        // Only the course's variables may lead the function to Kinesis and to its region.
        ["AWS_ENDPOINT_URL_KINESIS"] = null,
        ["AWS_ENDPOINT_URL"] = null,
        ["AWS_REGION"] = null,
        ["AWS_ACCESS_KEY_ID"] = emulators.Variables.GetValueOrDefault("AWS_ACCESS_KEY_ID", "test"),
        ["AWS_SECRET_ACCESS_KEY"] = emulators.Variables.GetValueOrDefault("AWS_SECRET_ACCESS_KEY", "test"),
    };

    [Fact]
    public async Task The_course_s_test_docker_and_test_kinesis_pass_against_start_lambda()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        // The course's own MLflow model folder, as its docker-compose mounts it at /app/model: MLmodel + model.pkl.
        foreach (var file in new[] { "MLmodel", "model.pkl" })
        {
            File.Copy(RepositoryPaths.TestData(Path.Combine("course-model", file)), Path.Combine(_modelFolder, file));
        }

        var eventJson = await File.ReadAllBytesAsync(CourseEvent, timeout.Token);

        // test_docker.py: POST event.json to the RIE's URL on localhost.
        var dryRun = ComposeVariables();
        dryRun["TEST_RUN"] = "True";
        await using (var docker = await StartLambdaProcess.StartAsync(dryRun, "--port", "0"))
        {
            var answer = await PostAsync(new UriBuilder(docker.RieUrl) { Host = "localhost" }.Uri, eventJson);

            Assert.True(answer.Status == HttpStatusCode.OK && answer.FunctionError is null, $"{answer}\n{docker}");
            var predictions = answer.Json().GetProperty("predictions");
            AssertCourseRecord(Assert.Single(predictions.EnumerateArray()));
            await StopAsync(docker, "INT");
        }

        // run.sh: a one-shard ride_predictions stream; then test_kinesis.py reads what the function published.
        var variables = ComposeVariables();
        using var kinesis = new KinesisClient(AwsEnvironment.FromEnvironment(name => variables.GetValueOrDefault(name)));
        await RecreateStreamAsync(kinesis, timeout.Token);
        await using (var backend = await StartLambdaProcess.StartAsync(variables, "--port", "0"))
        {
            var answer = await PostAsync(backend.RieUrl, eventJson);

            Assert.True(answer.Status == HttpStatusCode.OK && answer.FunctionError is null, $"{answer}\n{backend}");
            Assert.Equal(0, answer.Json().GetProperty("batchItemFailures").GetArrayLength());
            await StopAsync(backend, "TERM");
        }

        var records = await ReadShardAsync(kinesis, timeout.Token);
        var record = Assert.Single(records);
        using var published = JsonDocument.Parse(record.Data);
        AssertCourseRecord(published.RootElement);
    }

    /// <summary>The course's expected record, compared as its DeepDiff(significant_digits=1) call compares: the same
    /// values and types for the course's keys (our added keys are allowed, as there).</summary>
    private static void AssertCourseRecord(JsonElement actual)
    {
        Assert.Equal("ride_duration_prediction_model", actual.GetProperty("model").GetString());
        Assert.Equal("Test123", actual.GetProperty("version").GetString());
        var prediction = actual.GetProperty("prediction");
        var duration = prediction.GetProperty("ride_duration");
        Assert.Equal(JsonValueKind.Number, duration.ValueKind);
        Assert.Equal(21.3, Math.Round(duration.GetDouble(), 1));
        var rideId = prediction.GetProperty("ride_id");
        Assert.True(rideId.ValueKind == JsonValueKind.Number && rideId.TryGetInt32(out var id) && id == 256 && !rideId.GetRawText().Contains('.', StringComparison.Ordinal),
            $"ride_id should be the integer 256, is {rideId.GetRawText()}");
    }

    private static async Task StopAsync(StartLambdaProcess tool, string signal)
    {
        await tool.SignalAsync(signal);
        var exit = await tool.WaitForExitAsync(TimeSpan.FromMinutes(1));
        Assert.True(exit == 0, $"exit {exit}\n{tool}");
    }

    /// <summary>run.sh creates the stream with one shard. A stream left by an earlier run (LocalStack keeps them) would
    /// hold old predictions, so it is deleted first.</summary>
    private static async Task RecreateStreamAsync(KinesisClient kinesis, CancellationToken cancellationToken)
    {
        if (await ExistsAsync(kinesis, cancellationToken))
        {
            await kinesis.DeleteStreamAsync(PredictionsStream, cancellationToken);
            while (await ExistsAsync(kinesis, cancellationToken))
            {
                await Task.Delay(200, cancellationToken);
            }
        }

        await kinesis.CreateStreamAsync(PredictionsStream, 1, cancellationToken);
        await kinesis.WaitForStreamActiveAsync(PredictionsStream, TimeSpan.FromSeconds(60), cancellationToken);
    }

    private static async Task<bool> ExistsAsync(KinesisClient kinesis, CancellationToken cancellationToken)
    {
        try
        {
            await kinesis.DescribeStreamSummaryAsync(PredictionsStream, cancellationToken);
            return true;
        }
        catch (KinesisException exception) when (exception.ErrorCode == "ResourceNotFoundException")
        {
            return false;
        }
    }

    /// <summary>test_kinesis.py's read: GetShardIterator(TRIM_HORIZON) on the first shard, then GetRecords; read on until
    /// the shard is caught up, so a second record would show.</summary>
    private static async Task<List<KinesisRecord>> ReadShardAsync(KinesisClient kinesis, CancellationToken cancellationToken)
    {
        var records = new List<KinesisRecord>();
        var iterator = await kinesis.GetShardIteratorAsync(PredictionsStream, ShardId, ShardIteratorType.TrimHorizon, cancellationToken);
        while (iterator is not null)
        {
            var page = await kinesis.GetRecordsAsync(iterator, cancellationToken);
            records.AddRange(page.Records);
            if (page.Records.Count == 0 && page.MillisBehindLatest is null or 0)
            {
                break;
            }

            iterator = page.NextShardIterator;
        }

        return records;
    }
}
