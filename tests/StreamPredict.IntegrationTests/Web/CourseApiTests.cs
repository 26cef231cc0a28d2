using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using StreamPredict.Aws.Lambda.Context;
using StreamPredict.Function;
using StreamPredict.Model;

namespace StreamPredict.IntegrationTests.Web;

/// <summary>The course's /predict through real HTTP against the started service.</summary>
public sealed class CourseApiTests : IAsyncLifetime
{
    private const string CourseRide = """{"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}""";
    private WebService _web = null!;

    public async Task InitializeAsync() => _web = await WebService.StartWithModelFileAsync(WebModels.CourseForestPath, ("MAX_BATCH_RIDES", "1000"), ("MAX_REQUEST_BYTES", "200000"));

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Fact]
    public async Task The_course_ride_gets_exactly_the_number_the_function_publishes_for_it()
    {
        var function = await FunctionDurationAsync(RepositoryPaths.File("events", "course-ride.json"));

        using var response = await _web.PostAsync("/predict", CourseRide);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(body);
        var duration = answer.RootElement.GetProperty("duration");
        Assert.Equal(function.GetRawText(), duration.GetRawText());
        Assert.Equal(function.GetDouble(), duration.GetDouble());
        Assert.Equal(21.294545, duration.GetDouble(), 1e-6);
        Assert.Equal("e1efc53e9bd149078b0c12aeaa6365df", answer.RootElement.GetProperty("model_version").GetString());
        Assert.Equal("e1efc53e9bd149078b0c12aeaa6365df", response.Headers.GetValues("X-Model-Version").Single());
        Assert.Equal(["duration", "model_version"], answer.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task The_course_s_own_pickled_model_answers_the_course_s_example_as_its_Flask_app_does()
    {
        // The loader reads the course's lin_reg.bin (DictVectorizer + LinearRegression pickle) with no change here.
        await using var web = await WebService.StartWithModelFileAsync(RepositoryPaths.TestData("lin_reg.bin"));

        using var response = await web.PostAsync("/predict", """{"PULocationID": 10, "DOLocationID": 50, "trip_distance": 40}""");
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        // sklearn 1.0.2 (the course's) gives 26.438833551 for this ride; the course shows it as 26.43.
        Assert.Equal(26.438833551, answer.RootElement.GetProperty("duration").GetDouble(), 1e-8);
        Assert.Equal("lin_reg", answer.RootElement.GetProperty("model_version").GetString());
    }

    [Fact]
    public async Task A_batch_answers_in_order_and_a_ride_event_echoes_its_ride_id()
    {
        var model = WebModels.Compile(WebModels.CourseForest());
        var rides = Enumerable.Range(0, 1000).Select(i => new Ride(1 + i % 265, 1 + (i * 7) % 265, (i % 50) * 0.7)).ToList();
        var body = "[" + string.Join(",", rides.Select(r => Json(r))) + "]";

        using var response = await _web.PostAsync("/predict", body);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(rides.Select(r => model.Predict(r)), answer.RootElement.EnumerateArray().Select(a => a.GetProperty("duration").GetDouble()));

        using var eventResponse = await _web.PostAsync("/predict", """[{"ride": {"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}, "ride_id": "r-1"}, {"ride": {"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}, "ride_id": 256}]""");
        using var events = JsonDocument.Parse(await eventResponse.Content.ReadAsStringAsync());
        Assert.Equal(["\"r-1\"", "256"], events.RootElement.EnumerateArray().Select(a => a.GetProperty("ride_id").GetRawText()));
    }

    [Fact]
    public async Task Wrong_content_type_over_cap_bodies_and_batches_unknown_routes_and_empty_batches_get_problems()
    {
        await AssertProblemAsync(await _web.PostAsync("/predict", CourseRide, "text/plain"), 415, "unsupported_media_type");
        await AssertProblemAsync(await _web.PostAsync("/predict", Encoding.UTF8.GetBytes(CourseRide), contentType: null), 415, "unsupported_media_type");
        var big = "[" + string.Join(",", Enumerable.Repeat(CourseRide, 4000)) + "]";
        await AssertProblemAsync(await _web.PostAsync("/predict", big), 413, "body_over_cap");
        var many = "[" + string.Join(",", Enumerable.Repeat("""{"PULocationID":1,"DOLocationID":2,"trip_distance":1}""", 1001)) + "]";
        await AssertProblemAsync(await _web.PostAsync("/predict", many), 413, "batch_over_cap");
        await AssertProblemAsync(await _web.Http.GetAsync(new Uri("/no/such/route", UriKind.Relative)), 404, "not_found");
        await AssertProblemAsync(await _web.PostAsync("/predict", "[]"), 400, "empty_batch");
        await AssertProblemAsync(await _web.PostAsync("/predict", "[" + CourseRide + ", {\"PULocationID\": 1, \"DOLocationID\": 2, \"trip_distance\": -1}]"), 400, "invalid_distance", "trip_distance", 1);
    }

    internal static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status, string kind, string? field = null, int? index = null)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(body).RootElement.Clone();
            Assert.Equal(kind, problem.GetProperty("error_kind").GetString());
            Assert.Equal(status, problem.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
            var named = problem.TryGetProperty("field", out var f) ? f.GetString() : null;
            Assert.True(field is null ? named is null : field.Split('|').Contains(named), $"field {named ?? "(none)"}, expected {field ?? "(none)"}: {body}");
            Assert.Equal(index, problem.TryGetProperty("index", out var i) ? i.GetInt32() : null);
            return problem;
        }
    }

    internal static string Json(Ride ride) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $$"""{"PULocationID":{{ride.PickupLocationId}},"DOLocationID":{{ride.DropoffLocationId}},"trip_distance":{{ride.TripDistance}}}""");

    /// <summary>The ride_duration the function's own handler (dry run) writes for the event in <paramref name="eventFile"/>.</summary>
    private static async Task<JsonElement> FunctionDurationAsync(string eventFile)
    {
        using var handler = new DryRunHandler(WebModels.Compile(WebModels.CourseForest()));
        var output = new ArrayBufferWriter<byte>();
        await handler.HandleAsync(await File.ReadAllBytesAsync(eventFile), new Context(), output, CancellationToken.None);
        using var response = JsonDocument.Parse(output.WrittenMemory);
        return FindNumber(response.RootElement, "ride_duration") ?? throw new InvalidDataException($"no ride_duration in {Encoding.UTF8.GetString(output.WrittenSpan)}");
    }

    private static JsonElement? FindNumber(JsonElement element, string name) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Select(p => p.Name == name ? p.Value.Clone() : FindNumber(p.Value, name)).FirstOrDefault(e => e is not null),
        JsonValueKind.Array => element.EnumerateArray().Select(e => FindNumber(e, name)).FirstOrDefault(e => e is not null),
        _ => null,
    };

    private sealed class Context : ILambdaContext
    {
        public string AwsRequestId => "parity";
        public DateTimeOffset Deadline => DateTimeOffset.UtcNow.AddMinutes(1);
        public TimeSpan RemainingTime => TimeSpan.FromMinutes(1);
        public string InvokedFunctionArn => "arn:aws:lambda:us-east-1:000000000000:function:parity";
        public string? TraceId => null;
    }
}
