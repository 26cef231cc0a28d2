using System.Net;
using System.Text.Json;

namespace StreamPredict.IntegrationTests.Web;

/// <summary>MLflow's scoring protocol, the Open Inference Protocol, health, metrics and OpenAPI, through real HTTP.</summary>
public sealed class ProtocolTests : IAsyncLifetime
{
    private const string Forest = "RandomForestRegressor";
    private WebService _web = null!;
    private double[] _expected = [];

    public async Task InitializeAsync()
    {
        _web = await WebService.StartWithModelFileAsync(WebModels.CourseForestPath);
        var model = WebModels.Compile(WebModels.CourseForest());
        _expected = [model.Predict(new(130, 205, 3.66)), model.Predict(new(10, 50, 40))];
    }

    public async Task DisposeAsync() => await _web.DisposeAsync();

    public static TheoryData<string, string> MlflowBodies => new()
    {
        { "application/json", """{"dataframe_split": {"columns": ["PULocationID", "DOLocationID", "trip_distance"], "data": [[130, 205, 3.66], [10, 50, 40]]}}""" },
        { "application/json", """{"dataframe_split": {"data": [[3.66, 205, 130], [40, 50, 10]], "index": [0, 1], "columns": ["trip_distance", "DOLocationID", "PULocationID"]}}""" },
        { "application/json", """{"dataframe_records": [{"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}, {"PULocationID": 10, "DOLocationID": 50, "trip_distance": 40}]}""" },
        { "application/json", """{"instances": [{"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}, {"PULocationID": 10, "DOLocationID": 50, "trip_distance": 40}]}""" },
        { "application/json", """{"inputs": {"PULocationID": [130, 10], "DOLocationID": [205, 50], "trip_distance": [3.66, 40]}, "params": {}}""" },
        { "text/csv", "PULocationID,DOLocationID,trip_distance\n130,205,3.66\r\n10,\"50\",40\n" },
    };

    [Theory]
    [MemberData(nameof(MlflowBodies))]
    public async Task Every_MLflow_input_format_scores_the_same_rides_the_same(string contentType, string body)
    {
        using var response = await _web.PostAsync("/invocations", body, contentType);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var answer = JsonDocument.Parse(text);
        Assert.Equal(_expected, answer.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetDouble()));
        Assert.Equal("e1efc53e9bd149078b0c12aeaa6365df", response.Headers.GetValues("X-Model-Version").Single());
    }

    [Fact]
    public async Task MLflow_input_errors_name_the_format_the_field_and_the_row()
    {
        await CourseApiTests.AssertProblemAsync(await _web.PostAsync("/invocations", """{"dataframe_records": [{"PULocationID": 1, "DOLocationID": 2, "trip_distance": 1}, {"PULocationID": 1, "DOLocationID": 999, "trip_distance": 1}]}"""), 400, "invalid_location_id", "DOLocationID", 1);
        await CourseApiTests.AssertProblemAsync(await _web.PostAsync("/invocations", """{"dataframe_split": {"columns": ["PULocationID", "DOLocationID"], "data": [[1, 2]]}}"""), 400, "distance_missing", "trip_distance", 0);
        await CourseApiTests.AssertProblemAsync(await _web.PostAsync("/invocations", """{"dataframe_split": {"columns": ["PULocationID", "DOLocationID", "trip_distance"], "data": [[1, 2, 3], [1, 2]]}}"""), 400, "invalid_input_format", null, 1);
        await CourseApiTests.AssertProblemAsync(await _web.PostAsync("/invocations", """{"instances": [{"PULocationID": 1, "DOLocationID": 2, "trip_distance": 1}], "inputs": []}"""), 400, "invalid_input_format");
        await CourseApiTests.AssertProblemAsync(await _web.PostAsync("/invocations", """{"rows": []}"""), 400, "invalid_input_format");
        await CourseApiTests.AssertProblemAsync(await _web.PostAsync("/invocations", "PULocationID,DOLocationID,trip_distance\n1,2,far\n", "text/csv"), 400, "distance_wrong_type", "trip_distance", 0);
        await CourseApiTests.AssertProblemAsync(await _web.PostAsync("/invocations", "{}", "application/xml"), 415, "unsupported_media_type");
    }

    [Fact]
    public async Task KServe_v2_metadata_readiness_and_inference()
    {
        using var server = JsonDocument.Parse(await _web.Http.GetStringAsync(new Uri("/v2", UriKind.Relative)));
        Assert.Equal("streampredict", server.RootElement.GetProperty("name").GetString());
        using var metadata = JsonDocument.Parse(await _web.Http.GetStringAsync(new Uri($"/v2/models/{Forest}", UriKind.Relative)));
        Assert.Equal(["PULocationID", "DOLocationID", "trip_distance"], metadata.RootElement.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(["e1efc53e9bd149078b0c12aeaa6365df"], metadata.RootElement.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        using var ready = JsonDocument.Parse(await _web.Http.GetStringAsync(new Uri("/v2/models/ride_duration_prediction_model/ready", UriKind.Relative)));
        Assert.True(ready.RootElement.GetProperty("ready").GetBoolean());

        const string Infer = """
            {"id": "req-7", "inputs": [
              {"name": "PULocationID", "shape": [2], "datatype": "INT64", "data": [130, 10]},
              {"name": "DOLocationID", "shape": [2, 1], "datatype": "INT32", "data": [[205], [50]]},
              {"name": "trip_distance", "shape": [2], "datatype": "FP64", "data": [3.66, 40]}]}
            """;
        using var response = await _web.PostAsync($"/v2/models/{Forest}/infer", Infer);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var answer = JsonDocument.Parse(text);
        Assert.Equal("req-7", answer.RootElement.GetProperty("id").GetString());
        Assert.Equal("e1efc53e9bd149078b0c12aeaa6365df", answer.RootElement.GetProperty("model_version").GetString());
        var output = answer.RootElement.GetProperty("outputs")[0];
        Assert.Equal("duration", output.GetProperty("name").GetString());
        Assert.Equal(_expected, output.GetProperty("data").EnumerateArray().Select(d => d.GetDouble()));

        await CourseApiTests.AssertProblemAsync(await _web.PostAsync("/v2/models/other/infer", Infer), 404, "not_found");
        await CourseApiTests.AssertProblemAsync(await _web.PostAsync($"/v2/models/{Forest}/infer", Infer.Replace("\"FP64\"", "\"BYTES\"", StringComparison.Ordinal)), 400, "invalid_inference_request", "trip_distance");
        await CourseApiTests.AssertProblemAsync(await _web.PostAsync($"/v2/models/{Forest}/infer", Infer.Replace("[130, 10]", "[130, 0]", StringComparison.Ordinal)), 400, "invalid_location_id", "PULocationID", 1);
        await CourseApiTests.AssertProblemAsync(await _web.PostAsync($"/v2/models/{Forest}/infer", Infer.Replace("\"shape\": [2], \"datatype\": \"FP64\"", "\"shape\": [3], \"datatype\": \"FP64\"", StringComparison.Ordinal)), 400, "invalid_inference_request", "trip_distance");
    }

    [Fact]
    public async Task Health_metrics_and_the_OpenAPI_document()
    {
        Assert.Equal("\n", await _web.Http.GetStringAsync(new Uri("/ping", UriKind.Relative)));
        Assert.Equal("\n", await _web.Http.GetStringAsync(new Uri("/health", UriKind.Relative)));
        Assert.StartsWith("streampredict-web ", await _web.Http.GetStringAsync(new Uri("/version", UriKind.Relative)), StringComparison.Ordinal);
        Assert.Contains("\"live\":true", await _web.Http.GetStringAsync(new Uri("/v2/health/live", UriKind.Relative)), StringComparison.Ordinal);
        (await _web.PostAsync("/predict", """{"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}""")).Dispose();

        using var metricsResponse = await _web.Http.GetAsync(new Uri("/metrics", UriKind.Relative));
        var metrics = await metricsResponse.Content.ReadAsStringAsync();
        Assert.StartsWith("text/plain", metricsResponse.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains("streampredict_http_requests_total{route=\"/predict\",status=\"200\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("streampredict_http_request_duration_seconds_bucket{route=\"/predict\",le=\"+Inf\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("streampredict_model_info{name=\"RandomForestRegressor\",version=\"e1efc53e9bd149078b0c12aeaa6365df\",kind=\"tree_ensemble\"} 1", metrics, StringComparison.Ordinal);
        Assert.Matches(@"streampredict_predictions_total [1-9]", metrics);
        Assert.Matches(@"streampredict_model_loaded_timestamp_seconds \d+", metrics);

        using var openApi = JsonDocument.Parse(await _web.Http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var paths = openApi.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/predict", "/invocations", "/v2/models/{name}/infer", "/v2/health/ready", "/metrics" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI lacks {path}");
        }

        var predict = paths.GetProperty("/predict").GetProperty("post");
        Assert.True(predict.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(predict.GetProperty("responses").TryGetProperty("400", out _));
    }
}
