using System.Text.Json;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Aws.Lambda.Bootstrap;
using StreamPredict.Function.Publishing;
using static StreamPredict.Tests.Functions.HandlerHarness;

namespace StreamPredict.Tests.Functions;

public sealed class RideBatchHandlerPublishTests
{
    [Fact]
    public async Task The_course_ride_is_published_in_the_course_shape_with_added_source_fields()
    {
        using var harness = new HandlerHarness();
        var response = await harness.InvokeAsync(KinesisEvents.Build([KinesisEvents.Ride(130, 205, 3.66, "256")]));

        Assert.Empty(FailureIds(response));
        var call = Assert.Single(harness.Writer.Calls);
        Assert.Equal(Predictions, call.Stream);
        Assert.Equal("256", call.Entries[0].PartitionKey);
        var output = Assert.Single(harness.Writer.Published(Predictions));
        Assert.Equal("ride_duration_prediction_model", output.GetProperty("model").GetString());
        Assert.Equal(TestModels.Version, output.GetProperty("version").GetString());
        var prediction = output.GetProperty("prediction");
        Assert.Equal(TestModels.Expected(130, 205, 3.66), prediction.GetProperty("ride_duration").GetDouble(), 9);
        Assert.Equal(JsonValueKind.Number, prediction.GetProperty("ride_id").ValueKind);
        Assert.Equal(256, prediction.GetProperty("ride_id").GetInt32());
        Assert.Equal(KinesisEvents.Sequence(0), output.GetProperty("source_sequence_number").GetString());
        Assert.Equal(KinesisEvents.Shard, output.GetProperty("source_shard_id").GetString());
        Assert.Equal(1654161514.132, output.GetProperty("source_arrival_timestamp").GetDouble(), 6);
        Assert.Equal("2026-11-21T12:00:00.000Z", output.GetProperty("predicted_at").GetString());
    }

    [Theory]
    [InlineData("256", JsonValueKind.Number, "256")]
    [InlineData("1.5e3", JsonValueKind.Number, "1.5e3")]
    [InlineData("\"abc-256\"", JsonValueKind.String, "abc-256")]
    [InlineData("\"256\"", JsonValueKind.String, "256")]
    public async Task Ride_id_is_echoed_as_given(string rideIdJson, JsonValueKind kind, string text)
    {
        using var harness = new HandlerHarness();
        await harness.InvokeAsync(KinesisEvents.Build([KinesisEvents.Ride(1, 2, 1.0, rideIdJson)]));

        var id = Assert.Single(harness.Writer.Published(Predictions)).GetProperty("prediction").GetProperty("ride_id");
        Assert.Equal(kind, id.ValueKind);
        Assert.Equal(text, kind == JsonValueKind.Number ? id.GetRawText() : id.GetString());
        Assert.Equal(text, harness.Writer.Calls[0].Entries[0].PartitionKey);
    }

    [Fact]
    public async Task Partially_failed_entries_are_retried_alone_until_they_succeed()
    {
        using var harness = new HandlerHarness();
        harness.Writer.Fail = (call, _, key) => call == 0 && key is "1" or "3";
        var response = await harness.InvokeAsync(KinesisEvents.Build(Enumerable.Range(0, 5).Select(i => KinesisEvents.Ride(1, 2, i, $"{i}"))));

        Assert.Empty(FailureIds(response));
        Assert.Equal(2, harness.Writer.Calls.Count);
        Assert.Equal(["1", "3"], harness.Writer.Calls[1].Entries.Select(e => e.PartitionKey));
        Assert.Single(harness.Waits);
        Assert.Equal(2, harness.Metrics().GetProperty("Retried").GetInt32());
        Assert.Equal(5, harness.Metrics().GetProperty("Predictions").GetInt32());
    }

    [Fact]
    public async Task A_failed_call_is_retried_whole()
    {
        using var harness = new HandlerHarness();
        harness.Writer.Throw = call => call == 0 ? new HttpRequestException("500 Internal Server Error") : null;
        var response = await harness.InvokeAsync(KinesisEvents.Build(Enumerable.Range(0, 3).Select(i => KinesisEvents.Ride(1, 2, i, $"{i}"))));

        Assert.Empty(FailureIds(response));
        Assert.Equal(3, harness.Writer.Calls[1].Entries.Count);
        Assert.Contains(harness.LogLines(), l => l.GetProperty("message").GetString() == "PutRecords call failed");
    }

    [Fact]
    public async Task Entries_still_failing_after_the_last_attempt_become_batch_item_failures()
    {
        using var harness = new HandlerHarness(policy: Policy(maxAttempts: 3));
        harness.Writer.Fail = (_, _, key) => key == "2";
        var response = await harness.InvokeAsync(KinesisEvents.Build(Enumerable.Range(0, 4).Select(i => KinesisEvents.Ride(1, 2, i, $"{i}"))));

        Assert.Equal([KinesisEvents.Sequence(2)], FailureIds(response));
        Assert.Equal(3, harness.Writer.Calls.Count);
        Assert.Equal(1, harness.Metrics().GetProperty("Failed").GetInt32());
        Assert.All(harness.Waits.Zip(harness.Waits.Skip(1)), pair => Assert.True(pair.First <= TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_missing_stream_stops_publishing_at_once_and_reports_every_record()
    {
        using var harness = new HandlerHarness();
        harness.Writer.Throw = _ => KinesisErrors.Create("PutRecords", "ResourceNotFoundException", 400, $"Stream {Predictions} under account 000000000000 not found.");
        var response = await harness.InvokeAsync(KinesisEvents.Build(Enumerable.Range(0, 1201).Select(i => KinesisEvents.Ride(1, 2, 1, $"{i}"))));

        Assert.Equal(Enumerable.Range(0, 1201).Select(KinesisEvents.Sequence), FailureIds(response));
        Assert.Single(harness.Writer.Calls);
        Assert.Empty(harness.Waits);
        var error = Assert.Single(harness.LogLines("ERROR"));
        Assert.Equal(Predictions, error.GetProperty("stream").GetString());
        Assert.Equal("ResourceNotFoundException", error.GetProperty("errorCode").GetString());
        Assert.Contains("not found", error.GetProperty("cause").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, harness.Metrics().GetProperty("PermanentErrors").GetInt32());
        Assert.Equal(1201, harness.Metrics().GetProperty("Failed").GetInt32());
    }

    [Fact]
    public async Task A_permanent_entry_error_stops_that_stream_while_the_other_stream_still_publishes()
    {
        using var harness = new HandlerHarness();
        harness.Writer.FailCode = "KMSAccessDeniedException";
        harness.Writer.Fail = (_, stream, _) => stream == Predictions;
        var response = await harness.InvokeAsync(KinesisEvents.Build([KinesisEvents.Ride(1, 2, 1, "1"), "not json", KinesisEvents.Ride(1, 2, 1, "2")]));

        Assert.Equal([KinesisEvents.Sequence(0), KinesisEvents.Sequence(2)], FailureIds(response));
        Assert.Single(harness.Writer.Calls, c => c.Stream == Predictions);
        Assert.Single(harness.Writer.Published(Rejections));
        Assert.Empty(harness.Waits);
        Assert.Equal("KMSAccessDeniedException", Assert.Single(harness.LogLines("ERROR")).GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Throttling_is_not_permanent_and_is_retried()
    {
        using var harness = new HandlerHarness();
        harness.Writer.Throw = call => call == 0 ? KinesisErrors.Create("PutRecords", "ProvisionedThroughputExceededException", 400, "Rate exceeded") : null;
        var response = await harness.InvokeAsync(KinesisEvents.Build([KinesisEvents.Ride(1, 2, 1, "1")]));

        Assert.Empty(FailureIds(response));
        Assert.Equal(2, harness.Writer.Calls.Count);
        Assert.Equal(0, harness.Metrics().GetProperty("PermanentErrors").GetInt32());
    }

    [Fact]
    public async Task Backoff_waits_stay_under_the_exponential_ceiling()
    {
        var policy = Policy(maxAttempts: 6, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50));
        using var harness = new HandlerHarness(policy: policy);
        harness.Writer.Fail = (_, _, _) => true;
        await harness.InvokeAsync(KinesisEvents.Build([KinesisEvents.Ride(1, 2, 1, "1")]));

        Assert.Equal(5, harness.Waits.Count);
        double[] ceilings = [10, 20, 40, 50, 50];
        Assert.All(harness.Waits.Zip(ceilings), pair => Assert.InRange(pair.First.TotalMilliseconds, 0, pair.Second));
    }

    [Fact]
    public async Task When_the_deadline_is_near_no_work_starts_and_every_record_is_reported()
    {
        using var harness = new HandlerHarness();
        harness.Timeout = TimeSpan.FromMilliseconds(500); // under the 750 ms safety margin
        var response = await harness.InvokeAsync(KinesisEvents.Build(Enumerable.Range(0, 3).Select(i => KinesisEvents.Ride(1, 2, i, $"{i}"))));

        Assert.Empty(harness.Writer.Calls);
        Assert.Equal(Enumerable.Range(0, 3).Select(KinesisEvents.Sequence), FailureIds(response));
    }

    [Fact]
    public async Task A_retry_that_would_pass_the_deadline_is_not_started()
    {
        var policy = Policy(maxAttempts: 100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        using var harness = new HandlerHarness(policy: policy);
        harness.Timeout = TimeSpan.FromSeconds(5);
        harness.Writer.Fail = (_, _, key) => key == "0";
        var response = await harness.InvokeAsync(KinesisEvents.Build(Enumerable.Range(0, 2).Select(i => KinesisEvents.Ride(1, 2, i, $"{i}"))));

        Assert.Equal([KinesisEvents.Sequence(0)], FailureIds(response));
        Assert.True(harness.Clock.Now < new DateTimeOffset(2026, 11, 21, 12, 0, 5, TimeSpan.Zero) - policy.DeadlineSafetyMargin);
        Assert.InRange(harness.Writer.Calls.Count, 2, 99);
    }

    [Fact]
    public async Task Calls_are_chunked_at_500_records()
    {
        using var harness = new HandlerHarness();
        var response = await harness.InvokeAsync(KinesisEvents.Build(Enumerable.Range(0, 1201).Select(i => KinesisEvents.Ride(1, 2, 1, $"{i}"))));

        Assert.Empty(FailureIds(response));
        Assert.Equal([500, 500, 201], harness.Writer.Calls.Select(c => c.Entries.Count));
        Assert.Equal(1201, harness.Writer.Published(Predictions).Select(p => p.GetProperty("prediction").GetProperty("ride_id").GetInt32()).Distinct().Count());
    }

    [Fact]
    public async Task Calls_are_chunked_at_5_MiB_counting_data_and_partition_keys()
    {
        using var harness = new HandlerHarness();
        // 400 big non-JSON records (15,000 bytes, under the 16 KiB cap) make ~20 KB dead letters: 8 MB in all.
        var big = new string('x', 15_000);
        var response = await harness.InvokeAsync(KinesisEvents.Build(Enumerable.Range(0, 400).Select(_ => big)));

        Assert.Empty(FailureIds(response));
        var calls = harness.Writer.Calls.Where(c => c.Stream == Rejections).ToList();
        Assert.True(calls.Count >= 2);
        Assert.All(calls, c => Assert.True(c.Bytes <= PutRecordsLimits.MaxBytesPerCall, $"{c.Bytes} bytes in one call"));
        Assert.Equal(400, calls.Sum(c => c.Entries.Count));
    }

    [Fact]
    public async Task An_empty_batch_answers_no_failures_and_warns()
    {
        using var harness = new HandlerHarness();
        var response = await harness.InvokeAsync("""{"Records": []}"""u8.ToArray());

        Assert.Empty(FailureIds(response));
        Assert.Empty(harness.Writer.Calls);
        Assert.Contains(harness.LogLines(), l => l.GetProperty("level").GetString() == "WARN" && l.GetProperty("message").GetString()!.Contains("empty batch", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"foo": 1}""", "no \"Records\"")]
    [InlineData("""[1, 2]""", "not a Kinesis event")]
    [InlineData("""not json""", "not a Kinesis event")]
    [InlineData("""{"Records": [{"eventSource": "aws:sqs", "kinesis": {"sequenceNumber": "1", "data": "e30="}}]}""", "aws:sqs")]
    [InlineData("""{"Records": [{"eventSource": "aws:kinesis", "kinesis": {"data": "e30="}}]}""", "sequenceNumber is missing")]
    [InlineData("""{"Records": {}}""", "Records must be StartArray")]
    [InlineData("""{"Records": [{"eventSource": "aws:kinesis", "kinesis": 5}]}""", "Records[0].kinesis must be StartObject")]
    [InlineData("""{"Records": [{"eventSource": 7}]}""", "Expected a JSON string")]
    public async Task An_event_that_is_not_a_Kinesis_event_fails_the_invocation_as_InvalidEvent(string payload, string expected)
    {
        using var harness = new HandlerHarness();
        var error = await Assert.ThrowsAsync<LambdaFunctionException>(() => harness.InvokeAsync(System.Text.Encoding.UTF8.GetBytes(payload)));

        Assert.Equal("InvalidEvent", error.ErrorType);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(harness.LogLines(), l => l.GetProperty("level").GetString() == "ERROR");
    }

    [Fact]
    public async Task TEST_RUN_publishes_nothing_and_answers_the_predictions()
    {
        using var harness = new HandlerHarness(testRun: true);
        var response = await harness.InvokeAsync(KinesisEvents.Build([KinesisEvents.Ride(130, 205, 3.66, "256"), KinesisEvents.Ride(1, 2, 1, "\"x\""), "not json"]));

        Assert.Empty(harness.Writer.Calls);
        var predictions = response.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(2, predictions.Count);
        Assert.Equal(256, predictions[0].GetProperty("prediction").GetProperty("ride_id").GetInt32());
        Assert.Equal("x", predictions[1].GetProperty("prediction").GetProperty("ride_id").GetString());
        Assert.Equal("not_json", Assert.Single(response.GetProperty("rejections").EnumerateArray()).GetProperty("error_kind").GetString());
    }

    [Fact]
    public async Task A_dry_run_past_its_deadline_reports_the_unstarted_records()
    {
        using var harness = new HandlerHarness(testRun: true);
        harness.Timeout = TimeSpan.FromMilliseconds(100);
        var response = await harness.InvokeAsync(KinesisEvents.Build([KinesisEvents.Ride(1, 2, 1, "1")]));

        Assert.Empty(response.GetProperty("predictions").EnumerateArray());
        Assert.Equal([KinesisEvents.Sequence(0)], FailureIds(response));
    }

    [Fact]
    public async Task A_dry_run_without_failures_has_the_course_response_shape()
    {
        using var harness = new HandlerHarness(testRun: true);
        var response = await harness.InvokeAsync(KinesisEvents.Build([KinesisEvents.Ride(1, 2, 1, "1")]));

        Assert.Equal(["predictions"], response.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Every_invocation_writes_one_EMF_metrics_line()
    {
        using var harness = new HandlerHarness();
        await harness.InvokeAsync(KinesisEvents.Build([KinesisEvents.Ride(1, 2, 1, "1"), "{}"]));
        await harness.InvokeAsync(KinesisEvents.Build([KinesisEvents.Ride(1, 2, 1, "1")]));

        var metrics = harness.LogLines().Where(l => l.TryGetProperty("_aws", out _)).ToList();
        Assert.Equal(2, metrics.Count);
        var first = metrics[0];
        var directive = first.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
        Assert.Equal("StreamPredict", directive.GetProperty("Namespace").GetString());
        Assert.Equal("ModelVersion", directive.GetProperty("Dimensions")[0][0].GetString());
        Assert.Equal(TestModels.Version, first.GetProperty("ModelVersion").GetString());
        Assert.Equal(2, first.GetProperty("RecordsIn").GetInt32());
        Assert.Equal(1, first.GetProperty("Predictions").GetInt32());
        Assert.Equal(1, first.GetProperty("Rejected").GetInt32());
        Assert.Equal(1, first.GetProperty("ColdStart").GetInt32());
        Assert.Equal(0, metrics[1].GetProperty("ColdStart").GetInt32());
        foreach (var name in directive.GetProperty("Metrics").EnumerateArray().Select(m => m.GetProperty("Name").GetString()!))
        {
            Assert.True(first.TryGetProperty(name, out _), $"metric {name} has no value");
        }
    }
}
