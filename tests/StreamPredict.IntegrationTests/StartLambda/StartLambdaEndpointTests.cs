using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using StreamPredict.Aws.Lambda.Events;
using StreamPredict.LocalLambda.Invoke;
using static StreamPredict.IntegrationTests.StartLambda.InvokeHttp;

namespace StreamPredict.IntegrationTests.StartLambda;

/// <summary>start-lambda's endpoint in this process with the real bootstrap behind it, over real HTTP. TEST_RUN=True
/// with a local model: the function needs no AWS endpoint here (the course flow test covers Kinesis).</summary>
public sealed class StartLambdaEndpointTests
{
    private readonly ConcurrentQueue<string> _log = new();

    private InvokeEndpoint Start(params (string Name, string Value)[] variables)
    {
        var endpoint = InvokeEndpoint.Start("127.0.0.1", 0, FunctionSandbox.ForBootstrap(FunctionEnvironment(variables), 512, _log.Enqueue), _log.Enqueue);
        endpoint.Sandbox.Warm();
        return endpoint;
    }

    private InvokeEndpoint StartWithCourseForest(params (string Name, string Value)[] more)
        => Start([("TEST_RUN", "True"), ("MODEL_LOCATION", CourseForest), ("RUN_ID", "Test123"), .. more]);

    private string Log => string.Join('\n', _log);

    private static JsonElement CoursePrediction(Answer answer)
    {
        Assert.True(answer.Status == HttpStatusCode.OK && answer.FunctionError is null, answer.ToString());
        return Assert.Single(answer.Json().GetProperty("predictions").EnumerateArray());
    }

    [Fact]
    public async Task The_course_event_is_answered_on_both_paths_by_one_warm_function()
    {
        await using var endpoint = StartWithCourseForest();
        var payload = await File.ReadAllBytesAsync(CourseEvent);

        var rie = CoursePrediction(await PostAsync(endpoint.RieUrl, payload));
        var sam = CoursePrediction(await PostAsync(endpoint.FunctionUrl, payload));

        foreach (var prediction in new[] { rie, sam })
        {
            Assert.Equal("Test123", prediction.GetProperty("version").GetString());
            Assert.Equal(21.294545, prediction.GetProperty("prediction").GetProperty("ride_duration").GetDouble(), 1e-4);
            Assert.Equal("256", prediction.GetProperty("prediction").GetProperty("ride_id").GetRawText());
        }

        Assert.Equal((2, 2, 1), (endpoint.Sandbox.Stats.Invocations, endpoint.Sandbox.Stats.Responses, endpoint.Sandbox.Stats.Starts));
        Assert.Single(FunctionPids(_log));
    }

    [Fact]
    public async Task A_function_error_is_200_with_errorMessage_errorType_stackTrace_and_the_function_stays_warm()
    {
        await using var endpoint = StartWithCourseForest();

        var failed = await PostAsync(endpoint.RieUrl, """{"hello":"world"}"""u8.ToArray());
        var next = await PostAsync(endpoint.FunctionUrl, await File.ReadAllBytesAsync(CourseEvent));

        Assert.True(failed.Status == HttpStatusCode.OK && failed.FunctionError == "Unhandled", failed.ToString());
        var error = failed.Json();
        Assert.Equal("InvalidEvent", error.GetProperty("errorType").GetString());
        Assert.Contains("not a Kinesis event", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(0, error.GetProperty("stackTrace").GetArrayLength());
        CoursePrediction(next);
        Assert.Equal((1, 1), (endpoint.Sandbox.Stats.FunctionErrors, endpoint.Sandbox.Stats.Starts));
    }

    [Fact]
    public async Task An_init_failure_is_502_on_the_RIE_path_and_200_Unhandled_on_the_Invoke_API_path_and_each_invocation_inits_again()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-model-{Guid.NewGuid():N}", "model.json");
        await using var endpoint = Start(("TEST_RUN", "True"), ("MODEL_LOCATION", missing));

        var rie = await PostAsync(endpoint.RieUrl, await File.ReadAllBytesAsync(CourseEvent));
        var sam = await PostAsync(endpoint.FunctionUrl, await File.ReadAllBytesAsync(CourseEvent));

        Assert.True(rie.Status == HttpStatusCode.BadGateway && rie.FunctionError == "Unhandled", rie.ToString());
        Assert.True(sam.Status == HttpStatusCode.OK && sam.FunctionError == "Unhandled", sam.ToString());
        foreach (var error in new[] { rie.Json(), sam.Json() })
        {
            Assert.Equal("ModelUnavailableException", error.GetProperty("errorType").GetString());
            Assert.Contains(missing, error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
            Assert.Contains("MODEL_LOCATION", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal((2, 2, 0), (endpoint.Sandbox.Stats.InitFailures, endpoint.Sandbox.Stats.Starts, endpoint.Sandbox.Stats.Responses));
        Assert.Contains("init failed", Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hung_function_times_out_after_AWS_LAMBDA_FUNCTION_TIMEOUT_and_a_new_process_takes_the_next_invocation()
    {
        await using var endpoint = StartWithCourseForest(("AWS_LAMBDA_FUNCTION_TIMEOUT", "2"));
        var payload = await File.ReadAllBytesAsync(CourseEvent);
        CoursePrediction(await PostAsync(endpoint.RieUrl, payload));
        var hung = Assert.Single(FunctionPids(_log));

        // SIGSTOP: the process stays alive and never answers, as a function stuck in a call that ignores its deadline.
        await SignalAsync(hung, "STOP");
        var timedOut = await PostAsync(endpoint.RieUrl, payload);
        var next = await PostAsync(endpoint.RieUrl, payload);

        Assert.True(timedOut.Status == HttpStatusCode.OK && timedOut.MediaType == "text/plain", timedOut.ToString());
        Assert.Equal("Task timed out after 2.00 seconds", timedOut.Body);
        Assert.Equal("Unhandled", timedOut.FunctionError);
        Assert.False(IsRunning(hung), $"the timed-out process {hung} is stopped");
        CoursePrediction(next);
        var pids = FunctionPids(_log);
        Assert.Equal(2, pids.Count);
        Assert.NotEqual(hung, pids[1]);
        Assert.Equal((1, 2), (endpoint.Sandbox.Stats.Timeouts, endpoint.Sandbox.Stats.Starts));
    }

    [Fact]
    public async Task Concurrent_invocations_queue_for_the_one_function_and_each_gets_the_predictions_for_its_own_rides()
    {
        await using var endpoint = StartWithCourseForest();
        var events = Enumerable.Range(0, 6).Select(batch => KinesisEventWriter.Write(Enumerable.Range(0, 20).Select(k => new SourceRecord(
            Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $$"""{"ride": {"PULocationID": {{130 + k}}, "DOLocationID": 205, "trip_distance": {{1 + batch}}}, "ride_id": "b{{batch}}-{{k}}"}"""))),
            $"b{batch}-{k}", (1_000 * batch + k).ToString(CultureInfo.InvariantCulture), 1700000000 + k)))).ToList();

        var answers = await Task.WhenAll(events.Select(payload => PostAsync(endpoint.RieUrl, payload)));

        for (var batch = 0; batch < answers.Length; batch++)
        {
            Assert.True(answers[batch].Status == HttpStatusCode.OK, answers[batch].ToString());
            var rideIds = answers[batch].Json().GetProperty("predictions").EnumerateArray()
                .Select(p => p.GetProperty("prediction").GetProperty("ride_id").GetString()).ToList();
            Assert.Equal(Enumerable.Range(0, 20).Select(k => $"b{batch}-{k}"), rideIds);
        }

        Assert.Equal((6, 6, 1), (endpoint.Sandbox.Stats.Invocations, endpoint.Sandbox.Stats.Responses, endpoint.Sandbox.Stats.Starts));
    }
}
