using System.Text;
using System.Text.Json;
using StreamPredict.LocalLambda.Runtime;

namespace StreamPredict.IntegrationTests.Web;

/// <summary>
/// The web service as a Lambda function behind an API Gateway HTTP API: the BUILT service, started with
/// AWS_LAMBDA_RUNTIME_API pointing at the loopback Runtime API, is sent API Gateway payload-2.0 events and answers
/// with API Gateway responses computed by the same endpoints Kestrel serves.
/// </summary>
public sealed class ApiGatewayLambdaTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task API_Gateway_events_get_the_same_answers_as_HTTP()
    {
        await using var runtime = RuntimeApiEmulator.Start();
        await using var web = WebProcess.Start(new Dictionary<string, string>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = runtime.HostAndPort,
            ["MODEL_LOCATION"] = WebModels.CourseForestPath,
        });
        await runtime.InitDone.WaitAsync(Timeout);

        var predict = await InvokeAsync(runtime, "POST", "/predict", """{"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}""");
        Assert.Equal(200, predict.Status);
        Assert.Equal("application/json", predict.Headers["content-type"]);
        Assert.Equal("e1efc53e9bd149078b0c12aeaa6365df", predict.Headers["x-model-version"]);
        using (var answer = JsonDocument.Parse(predict.Body))
        {
            Assert.Equal(WebModels.Compile(WebModels.CourseForest()).Predict(new(130, 205, 3.66)), answer.RootElement.GetProperty("duration").GetDouble());
        }

        var bad = await InvokeAsync(runtime, "POST", "/predict", """[{"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}, {"PULocationID": 130, "DOLocationID": 205, "trip_distance": "far"}]""");
        Assert.Equal(400, bad.Status);
        Assert.Equal("application/problem+json", bad.Headers["content-type"]);
        using (var problem = JsonDocument.Parse(bad.Body))
        {
            Assert.Equal("distance_wrong_type", problem.RootElement.GetProperty("error_kind").GetString());
            Assert.Equal(1, problem.RootElement.GetProperty("index").GetInt32());
        }

        var mlflow = await InvokeAsync(runtime, "POST", "/invocations", "PULocationID,DOLocationID,trip_distance\n130,205,3.66\n", "text/csv", base64: true);
        Assert.Equal(200, mlflow.Status);
        Assert.Contains("\"predictions\":[21.29", mlflow.Body, StringComparison.Ordinal);

        var staged = await InvokeAsync(runtime, "GET", "/prod/v2/health/ready", null, stage: "prod");
        Assert.Equal(200, staged.Status);
        Assert.Equal("{\"ready\":true}", staged.Body);
        Assert.Equal(404, (await InvokeAsync(runtime, "GET", "/nowhere", null)).Status);
        Assert.Equal(415, (await InvokeAsync(runtime, "POST", "/predict", "{}", "text/plain")).Status);

        // Not an API Gateway event: the invocation fails as InvalidEvent, and the process keeps serving.
        var sqs = await runtime.InvokeAsync("""{"Records": [{"eventSource": "aws:sqs"}]}"""u8.ToArray(), Timeout);
        Assert.Equal("InvalidEvent", sqs.Error?.ErrorType);
        Assert.Equal(200, (await InvokeAsync(runtime, "GET", "/v2/health/live", null)).Status);
        Assert.False(web.HasExited);
    }

    [Fact]
    public async Task A_bad_model_posts_the_function_s_init_error_and_exits_non_zero()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("web-lambda-bad-").FullName, "model.json");
        await File.WriteAllBytesAsync(path, WebModels.Corrupt());
        await using var runtime = RuntimeApiEmulator.Start();
        await using var web = WebProcess.Start(new Dictionary<string, string>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = runtime.HostAndPort,
            ["MODEL_LOCATION"] = path,
        });

        var error = await runtime.InitError.WaitAsync(Timeout);

        Assert.Contains($"The model at MODEL_LOCATION='{path}' was refused: checksum mismatch", error.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("ModelUnavailableException", error.ErrorType);
        Assert.NotEqual(0, await web.WaitForExitAsync(Timeout));
        Assert.False(runtime.InitDone.IsCompleted, "asked for an event after a failed init");
    }

    private sealed record GatewayAnswer(int Status, Dictionary<string, string> Headers, string Body);

    private static async Task<GatewayAnswer> InvokeAsync(RuntimeApiEmulator runtime, string method, string rawPath, string? body,
        string contentType = "application/json", bool base64 = false, string stage = "$default")
    {
        var payload = Event(method, rawPath, body, contentType, base64, stage);
        var outcome = await runtime.InvokeAsync(payload, Timeout);
        Assert.True(outcome.Succeeded, $"{method} {rawPath}: {outcome.Error?.ErrorType}: {outcome.Error?.ErrorMessage}");
        using var response = JsonDocument.Parse(outcome.Response);
        var root = response.RootElement;
        var text = root.GetProperty("body").GetString() ?? "";
        if (root.GetProperty("isBase64Encoded").GetBoolean())
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }

        var headers = root.GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name.ToLowerInvariant(), h => h.Value.GetString()!.Split(';')[0]);
        return new GatewayAnswer(root.GetProperty("statusCode").GetInt32(), headers, text);
    }

    /// <summary>An HTTP API event as API Gateway sends it (payload format 2.0).</summary>
    private static byte[] Event(string method, string rawPath, string? body, string contentType, bool base64, string stage)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("version", "2.0");
            json.WriteString("routeKey", "$default");
            json.WriteString("rawPath", rawPath);
            json.WriteString("rawQueryString", "");
            json.WriteStartObject("headers");
            json.WriteString("content-type", contentType);
            json.WriteString("host", "abc123.execute-api.eu-west-1.amazonaws.com");
            json.WriteString("x-forwarded-proto", "https");
            json.WriteEndObject();
            json.WriteStartObject("requestContext");
            json.WriteString("accountId", "123456789012");
            json.WriteString("apiId", "abc123");
            json.WriteString("requestId", Guid.NewGuid().ToString("N"));
            json.WriteString("stage", stage);
            json.WriteStartObject("http");
            json.WriteString("method", method);
            json.WriteString("path", rawPath);
            json.WriteString("protocol", "HTTP/1.1");
            json.WriteString("sourceIp", "203.0.113.7");
            json.WriteEndObject();
            json.WriteEndObject();
            if (body is not null)
            {
                json.WriteString("body", base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(body)) : body);
            }

            json.WriteBoolean("isBase64Encoded", base64);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
