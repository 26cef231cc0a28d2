using System.Text.Json;
using StreamPredict.IntegrationTests.Infrastructure;

namespace StreamPredict.IntegrationTests.Cli;

/// <summary>`invoke -e events/…`: the real bootstrap behind the loopback Runtime API, like `sam local invoke`.</summary>
[Collection(Emulators.Collection)]
public sealed class CliInvokeTests(EmulatorFixture emulators)
{
    private readonly CancellationToken _timeout = EmulatorFixture.TestTimeout();
    private readonly CliHarness _cli = new(emulators);

    private string Event(string name) => Path.Combine(_cli.RepositoryRoot, "events", name);

    [Fact]
    public async Task The_course_event_with_the_course_forest_predicts_the_course_number()
    {
        var run = await _cli.RunAsync(_timeout, "invoke", "-e", Event("course-ride.json"), "--env", "TEST_RUN=True", "--env", $"MODEL_LOCATION={_cli.CourseForest}");

        Assert.True(run.Exit == 0, run.ToString());
        using var response = JsonDocument.Parse(run.Out);
        var prediction = response.RootElement.GetProperty("predictions")[0].GetProperty("prediction");
        Assert.Equal(21.294545, prediction.GetProperty("ride_duration").GetDouble(), 4);
        Assert.Equal(256, prediction.GetProperty("ride_id").GetInt32());
        Assert.Contains("init done", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_sample_event_file_gets_a_response_with_a_model_from_s3()
    {
        var bucket = EmulatorFixture.UniqueName("cli-invoke");
        using (var store = emulators.CreateObjectStore())
        {
            await store.EnsureBucketAsync(bucket, _timeout);
        }

        var push = await _cli.RunAsync(_timeout, "model", "push", _cli.CourseForest, "--bucket", bucket, "--run-id", "invoke", "--experiment-id", "7");
        Assert.True(push.Exit == 0, push.ToString());
        var show = await _cli.RunAsync(_timeout, "model", "show", $"s3://{bucket}/7/invoke/artifacts/model/model.json", "--json");
        Assert.True(show.Exit == 0, show.ToString());
        Assert.Equal("verified", show.Summary.GetProperty("checksum").GetString());
        Assert.Equal("tree_ensemble", show.Summary.GetProperty("estimator").GetString());

        foreach (var file in Directory.GetFiles(Path.Combine(_cli.RepositoryRoot, "events"), "*.json"))
        {
            var run = await _cli.RunAsync(_timeout, "invoke", "-e", file, "--json", "--env", "TEST_RUN=True",
                "--env", $"MODEL_BUCKET={bucket}", "--env", "RUN_ID=invoke", "--env", "MLFLOW_EXPERIMENT_ID=7");

            Assert.True(run.Exit == 0, $"{Path.GetFileName(file)}: {run}");
            Assert.True(run.Summary.GetProperty("ok").GetBoolean());
            using var response = JsonDocument.Parse(run.Summary.GetProperty("response").GetString()!);
            Assert.True(response.RootElement.TryGetProperty("predictions", out _), Path.GetFileName(file));
        }
    }

    [Fact]
    public async Task A_missing_model_is_an_init_error_with_the_functions_message_and_a_non_zero_exit()
    {
        var run = await _cli.RunAsync(_timeout, "invoke", "-e", Event("course-ride.json"), "--env", "TEST_RUN=True", "--env", "MODEL_LOCATION=/nowhere/model.json");

        Assert.Equal(1, run.Exit);
        Assert.Contains("init failed", run.Error, StringComparison.Ordinal);
        Assert.Contains("/nowhere/model.json", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_that_is_not_a_kinesis_event_prints_the_function_error_and_exits_non_zero()
    {
        var file = Path.Combine(Path.GetTempPath(), $"not-kinesis-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{"hello":"world"}""", _timeout);
        try
        {
            var run = await _cli.RunAsync(_timeout, "invoke", "-e", file, "--env", "TEST_RUN=True", "--env", $"MODEL_LOCATION={_cli.CourseForest}");

            Assert.Equal(1, run.Exit);
            Assert.Contains("InvalidEvent", run.Error, StringComparison.Ordinal);
            Assert.Contains("not a Kinesis event", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
