using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Xunit.Abstractions;

namespace StreamPredict.IntegrationTests.Web;

/// <summary>
/// Every record of the bad-input corpus (events/bad/, with events/bad/expected.json) through HTTP: as a /predict body
/// alone, and as ride 1 of a batch between good rides. The service answers what the function decides for the same
/// record (the same error_kind), as a 400 problem naming the field and the index, and never a 5xx. Two kinds belong to
/// the stream, not to HTTP: base64 (HTTP has no base64 layer: the text itself is then the body, which is not JSON),
/// and duplicate ride_ids (each request is answered positionally, so a repeated ride_id is simply answered twice).
/// </summary>
public sealed class BadInputHttpTests(ITestOutputHelper output) : IAsyncLifetime
{
    private WebService _web = null!;

    public async Task InitializeAsync() => _web = await WebService.StartWithModelFileAsync(WebModels.CourseForestPath);

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Fact]
    public async Task Every_bad_input_kind_answers_400_with_the_function_s_error_kind_field_and_index()
    {
        using var expected = JsonDocument.Parse(await File.ReadAllBytesAsync(RepositoryPaths.File("events", "bad", "expected.json")));
        var model = WebModels.Compile(WebModels.CourseForest());
        var good = """{"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}""";
        int records = 0, refused = 0, predicted = 0;
        var kinds = new HashSet<string>(StringComparer.Ordinal);

        foreach (var file in expected.RootElement.EnumerateObject().Where(f => f.Value.ValueKind == JsonValueKind.Array))
        {
            using var source = JsonDocument.Parse(await File.ReadAllBytesAsync(RepositoryPaths.File("events", "bad", file.Name)));
            var data = source.RootElement.GetProperty("Records").EnumerateArray().Select(r => r.GetProperty("kinesis").GetProperty("data").GetString()!).ToList();
            var expectedKinds = file.Value.EnumerateArray().Select(k => k.ValueKind == JsonValueKind.Null ? null : k.GetString()).ToList();
            for (var i = 0; i < data.Count; i++)
            {
                records++;
                var (body, kind) = expectedKinds[i] switch
                {
                    "not_base64" => (Encoding.UTF8.GetBytes(data[i]), "not_json"),
                    "duplicate_ride_id" => (Convert.FromBase64String(data[i]), null),
                    var other => (Convert.FromBase64String(data[i]), other),
                };
                using var response = await _web.PostAsync("/predict", body);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True((int)response.StatusCode < 500, $"{file.Name}[{i}]: {(int)response.StatusCode} {text}");
                if (kind is null)
                {
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{file.Name}[{i}]: {text}");
                    using var answer = JsonDocument.Parse(text);
                    Assert.Equal(model.Predict(RideOf(body)), answer.RootElement.GetProperty("duration").GetDouble());
                    predicted++;
                    continue;
                }

                // A body that is a JSON array is a batch in HTTP: its first element is then the ride at fault.
                var isArray = Encoding.UTF8.GetString(body).TrimStart().StartsWith('[');
                var problem = await CourseApiTests.AssertProblemAsync(response, 400, kind, FieldOf(kind), isArray ? 0 : null);
                kinds.Add(kind);
                refused++;
                output.WriteLine($"{file.Name}[{i}] {kind}: {problem.GetProperty("detail").GetString()}");

                // The same record as ride 1 of a batch: the same kind, and the problem names index 1.
                var batch = (byte[])[.. "["u8, .. Encoding.UTF8.GetBytes(good), .. ","u8, .. body, .. "]"u8];
                await CourseApiTests.AssertProblemAsync(await _web.PostAsync("/predict", batch), 400, kind, FieldOf(kind), Utf8.IsValid(body) ? 1 : null);
            }
        }

        output.WriteLine($"{records} records: {refused} refused, {predicted} predicted; kinds: {string.Join(", ", kinds.Order())}");
        Assert.Equal(records, refused + predicted);
        Assert.Superset(
            new HashSet<string> { "not_utf8", "not_json", "not_an_object", "too_deep", "over_size_cap", "ride_missing", "ride_not_an_object", "location_id_missing", "location_id_wrong_type", "invalid_location_id", "distance_missing", "distance_wrong_type", "invalid_distance", "ride_id_missing", "ride_id_wrong_type" },
            kinds);
        using var metrics = await _web.Http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("streampredict_rejected_inputs_total{error_kind=\"invalid_distance\"}", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The field a problem must name for each kind ("A|B": either).</summary>
    private static string? FieldOf(string kind) => kind switch
    {
        "location_id_missing" or "location_id_wrong_type" or "invalid_location_id" => "PULocationID|DOLocationID",
        "distance_missing" or "distance_wrong_type" or "invalid_distance" => "trip_distance",
        "ride_missing" or "ride_not_an_object" => "ride",
        "ride_id_missing" or "ride_id_wrong_type" => "ride_id",
        _ => null,
    };

    private static StreamPredict.Model.Ride RideOf(byte[] body)
    {
        using var json = JsonDocument.Parse(body);
        var ride = json.RootElement.TryGetProperty("ride", out var inner) ? inner : json.RootElement;
        return new(ride.GetProperty("PULocationID").GetInt32(), ride.GetProperty("DOLocationID").GetInt32(), ride.GetProperty("trip_distance").GetDouble());
    }
}
