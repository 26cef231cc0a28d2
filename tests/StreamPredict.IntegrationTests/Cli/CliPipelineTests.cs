using StreamPredict.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace StreamPredict.IntegrationTests.Cli;

/// <summary>produce → run (the real bootstrap process) → tail, and run's checkpoint across a stop.</summary>
[Collection(Emulators.Collection)]
public sealed class CliPipelineTests(EmulatorFixture emulators, ITestOutputHelper output)
{
    private readonly CancellationToken _timeout = EmulatorFixture.TestTimeout();
    private readonly CliHarness _cli = new(emulators);

    private async Task<(string Input, string Predictions)> PrepareAsync(string runId)
    {
        using var kinesis = emulators.CreateKinesisClient();
        var input = await EmulatorFixture.CreateActiveStreamAsync(kinesis, "cli-in", 2, _timeout);
        var predictions = await EmulatorFixture.CreateActiveStreamAsync(kinesis, "cli-out", 1, _timeout);
        var bucket = EmulatorFixture.UniqueName("cli-models");
        using (var store = emulators.CreateObjectStore())
        {
            await store.EnsureBucketAsync(bucket, _timeout);
        }

        var push = await _cli.RunAsync(_timeout, "model", "push", _cli.CourseForest, "--bucket", bucket, "--run-id", runId, "--json");
        Assert.True(push.Exit == 0, push.ToString());
        Assert.Equal($"s3://{bucket}/1/{runId}/artifacts/model/model.json", push.Summary.GetProperty("location").GetString());

        _cli.Environment["MODEL_BUCKET"] = bucket;
        _cli.Environment["RUN_ID"] = runId;
        _cli.Environment["PREDICTIONS_STREAM_NAME"] = predictions;
        return (input, predictions);
    }

    [Fact]
    public async Task Produced_rides_come_out_as_predictions_through_run_and_tail()
    {
        var (input, predictions) = await PrepareAsync("pipeline");

        var produce = await _cli.RunAsync(_timeout, "produce", "--stream", input, "--data", _cli.RidesSample, "--count", "300", "--id-prefix", "p", "--json");
        Assert.True(produce.Exit == 0, produce.ToString());
        Assert.Equal(300, produce.Summary.GetProperty("sent").GetInt64());
        Assert.Equal(1, produce.Summary.GetProperty("put_records_calls").GetInt64());

        var run = await _cli.RunAsync(_timeout, "run", "--stream", input, "--batch-size", "40", "--batching-window", "200ms", "--max-records", "300", "--json");
        Assert.True(run.Exit == 0, run.ToString());
        Assert.Equal("max-records", run.Summary.GetProperty("stopped_by").GetString());
        Assert.Equal(300, run.Summary.GetProperty("records_done").GetInt64());
        Assert.Equal(0, run.Summary.GetProperty("failed_records").GetInt64());

        var tail = await _cli.RunAsync(_timeout, "tail", "--stream", predictions, "--json");
        Assert.True(tail.Exit == 0, tail.ToString());
        var lines = tail.Out.TrimEnd().Split('\n');
        Assert.Equal(300, tail.Summary.GetProperty("records").GetInt64());
        Assert.Equal(301, lines.Length);
        Assert.Contains("\"ride_id\":\"p-0000000\"", tail.Out, StringComparison.Ordinal);
        Assert.All(lines[..^1], line => Assert.StartsWith("{\"model\":\"ride_duration_prediction_model\"", line, StringComparison.Ordinal));

        var follow = await _cli.RunAsync(_timeout, "tail", "--stream", predictions, "--follow", "--max", "5", "--envelope", "--json");
        Assert.True(follow.Exit == 0, follow.ToString());
        Assert.Equal(5, follow.Summary.GetProperty("records").GetInt64());
        Assert.Contains("\"sequenceNumber\":", follow.Out, StringComparison.Ordinal);

        var latest = await _cli.RunAsync(_timeout, "tail", "--stream", predictions, "--from", "latest", "--json");
        Assert.True(latest.Exit == 0, latest.ToString());
        Assert.Equal(0, latest.Summary.GetProperty("records").GetInt64());
    }

    [Fact]
    public async Task Rides_produced_as_KPL_aggregates_each_come_out_as_a_prediction_through_run()
    {
        var (input, predictions) = await PrepareAsync("aggregated");

        var produce = await _cli.RunAsync(_timeout, "produce", "--stream", input, "--data", _cli.RidesSample, "--count", "2000", "--id-prefix", "k", "--aggregate", "--json");
        Assert.True(produce.Exit == 0, produce.ToString());
        Assert.Equal(2000, produce.Summary.GetProperty("sent").GetInt64());
        var aggregates = produce.Summary.GetProperty("kinesis_records").GetInt64();
        Assert.InRange(aggregates, 2, 20);

        var run = await _cli.RunAsync(_timeout, "run", "--stream", input, "--batch-size", "3", "--batching-window", "200ms", "--max-records", $"{aggregates}", "--json");
        Assert.True(run.Exit == 0, run.ToString());
        Assert.Equal(0, run.Summary.GetProperty("failed_records").GetInt64());

        var tail = await _cli.RunAsync(_timeout, "tail", "--stream", predictions, "--json");
        Assert.True(tail.Exit == 0, tail.ToString());
        var outputs = tail.Out.TrimEnd().Split('\n')[..^1].Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(Enumerable.Range(0, 2000).Select(n => $"k-{n:D7}").Order(StringComparer.Ordinal),
            outputs.Select(o => o.GetProperty("prediction").GetProperty("ride_id").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(outputs, o => Assert.Equal(o.GetProperty("prediction").GetProperty("ride_id").GetString(), o.GetProperty("source_partition_key").GetString()));
        Assert.Equal(aggregates, outputs.Select(o => o.GetProperty("source_sequence_number").GetString()).Distinct().Count());
        output.WriteLine($"2000 rides in {aggregates} aggregated records, {produce.Summary.GetProperty("put_records_calls")} PutRecords call(s): 2000 predictions");
    }

    [Fact]
    public async Task A_function_that_cannot_start_stops_the_run_at_once_with_its_init_error()
    {
        using var kinesis = emulators.CreateKinesisClient();
        var input = await EmulatorFixture.CreateActiveStreamAsync(kinesis, "cli-bad", 2, _timeout);

        var run = await _cli.RunAsync(_timeout, "run", "--stream", input, "--until-idle", "30s", "--env", "MODEL_LOCATION=/nowhere/model.json");

        Assert.Equal(1, run.Exit);
        Assert.Contains("init failed", run.Error, StringComparison.Ordinal);
        Assert.Contains("/nowhere/model.json", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Records_the_function_keeps_failing_are_retried_from_the_lowest_failure_then_written_to_the_failure_file()
    {
        var (input, _) = await PrepareAsync("failing");
        // The function cannot publish to a stream that does not exist, so it reports every record as a batchItemFailure.
        _cli.Environment["PREDICTIONS_STREAM_NAME"] = EmulatorFixture.UniqueName("missing");
        var produce = await _cli.RunAsync(_timeout, "produce", "--stream", input, "--data", _cli.RidesSample, "--count", "30", "--id-prefix", "f");
        Assert.True(produce.Exit == 0, produce.ToString());
        var failures = Path.Combine(Path.GetTempPath(), $"cli-failures-{Guid.NewGuid():N}.jsonl");
        try
        {
            var run = await _cli.RunAsync(_timeout, "run", "--stream", input, "--batch-size", "100", "--batching-window", "200ms",
                "--max-retries", "2", "--failure-file", failures, "--max-records", "30", "--json");

            Assert.True(run.Exit == 0, run.ToString());
            var summary = run.Summary;
            Assert.Equal(30, summary.GetProperty("records_done").GetInt64());
            Assert.Equal(30, summary.GetProperty("failed_records").GetInt64());
            Assert.True(summary.GetProperty("records_reread").GetInt64() >= 60, run.ToString());
            Assert.True(summary.GetProperty("batch_item_failures").GetInt64() >= 90, run.ToString());
            var lines = await File.ReadAllLinesAsync(failures, _timeout);
            Assert.Equal(30, lines.Length);
            var keys = lines.Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("partitionKey").GetString()).ToHashSet();
            Assert.True(keys.SetEquals(Enumerable.Range(0, 30).Select(n => $"f-{n:D7}")));
            Assert.Contains("reported in batchItemFailures on 3 attempts", lines[0], StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(failures);
        }
    }

    [Fact]
    public async Task A_missing_input_stream_is_named()
    {
        var run = await _cli.RunAsync(_timeout, "run", "--stream", "no-such-stream-here", "--until-idle", "1s");

        Assert.Equal(1, run.Exit);
        Assert.Contains("'no-such-stream-here' does not exist", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_cancelled_mid_way_resumes_from_its_checkpoint_and_loses_nothing()
    {
        var (input, predictions) = await PrepareAsync("resume");
        const int Rides = 1500;
        var produce = await _cli.RunAsync(_timeout, "produce", "--stream", input, "--data", _cli.RidesSample, "--count", $"{Rides}", "--id-prefix", "r", "--json");
        Assert.True(produce.Exit == 0, produce.ToString());
        var checkpoint = Path.Combine(Path.GetTempPath(), $"cli-resume-{Guid.NewGuid():N}.json");
        try
        {
            // Stop the first run like Ctrl-C once it has made some progress.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(_timeout);
            var first = _cli.RunAsync(stop.Token, "run", "--stream", input, "--batch-size", "50", "--batching-window", "100ms", "--checkpoint", checkpoint, "--json");
            while (!File.Exists(checkpoint) && !first.IsCompleted)
            {
                await Task.Delay(50, _timeout);
            }

            await Task.Delay(300, _timeout);
            await stop.CancelAsync();
            var stopped = await first;
            Assert.True(stopped.Exit == 130, stopped.ToString());

            var second = await _cli.RunAsync(_timeout, "run", "--stream", input, "--batch-size", "50", "--checkpoint", checkpoint, "--until-idle", "3s", "--json");
            Assert.True(second.Exit == 0, second.ToString());
            var resumed = second.Summary.GetProperty("records_done").GetInt64();
            Assert.InRange(resumed, 1, Rides - 1);

            using var kinesis = emulators.CreateKinesisClient();
            var outputs = await CliHarness.ReadAllAsync(kinesis, predictions, _timeout);
            var ids = outputs.Select(CliHarness.RideId).ToList();
            var expected = Enumerable.Range(0, Rides).Select(n => $"r-{n:D7}").ToHashSet();
            var lost = expected.Except(ids).ToList();
            var duplicates = ids.Count - ids.Distinct().Count();
            output.WriteLine($"first run done before cancel: {Rides - resumed}, resumed: {resumed}, predictions: {ids.Count}, duplicates: {duplicates}, lost: {lost.Count}");
            Assert.Empty(lost);
            Assert.True(ids.ToHashSet().SetEquals(expected));
        }
        finally
        {
            File.Delete(checkpoint);
        }
    }
}
