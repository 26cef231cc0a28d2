using System.Text.Json;
using StreamPredict.Model;
using StreamPredict.Tests.Model;
using static StreamPredict.Tests.Functions.HandlerHarness;

namespace StreamPredict.Tests.Functions;

/// <summary>events/*.json are the generator's output, and the handler does what each one is for.</summary>
public sealed class SampleEventFilesTests
{
    private static string EventFile(string name) => Path.Combine(ModelTestFiles.RepoRoot, "events", name);

    public static TheoryData<string> FileNames() => ["course-ride.json", "tlc-batch-100.json", "poison-mixed.json"];

    private static byte[] Generate(string name) => name switch
    {
        "course-ride.json" => SampleEvents.CourseRide(),
        "tlc-batch-100.json" => SampleEvents.TlcBatch(100),
        "poison-mixed.json" => SampleEvents.PoisonMixed().Event,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a sample event"),
    };

    [Theory]
    [MemberData(nameof(FileNames))]
    public void The_committed_file_is_what_the_generator_writes(string name)
    {
        var generated = Generate(name);
        if (Environment.GetEnvironmentVariable("STREAMPREDICT_WRITE_EVENTS") == "1")
        {
            File.WriteAllBytes(EventFile(name), generated);
        }

        Assert.True(File.Exists(EventFile(name)), $"events/{name} is missing: run the generator (see SampleEvents).");
        Assert.Equal(generated, File.ReadAllBytes(EventFile(name)));
    }

    [Fact]
    public async Task The_course_ride_with_the_course_forest_predicts_what_sklearn_predicts()
    {
        using var harness = new HandlerHarness(testRun: true, model: CompiledModel.Load(File.ReadAllBytes(ModelTestFiles.CourseForestArtifact)));
        var response = await harness.InvokeAsync(File.ReadAllBytes(EventFile("course-ride.json")));

        var prediction = Assert.Single(response.GetProperty("predictions").EnumerateArray());
        Assert.Equal("ride_duration_prediction_model", prediction.GetProperty("model").GetString());
        Assert.Equal("e1efc53e9bd149078b0c12aeaa6365df", prediction.GetProperty("version").GetString());
        Assert.Equal(21.294545, prediction.GetProperty("prediction").GetProperty("ride_duration").GetDouble(), 1e-4);
        Assert.Equal(256, prediction.GetProperty("prediction").GetProperty("ride_id").GetInt32());
    }

    [Fact]
    public async Task With_RUN_ID_set_the_output_events_and_metrics_carry_it_as_the_course_s_lambda_does()
    {
        // The course's integration test runs its lambda with RUN_ID=Test123 and MODEL_LOCATION=/app/model, and expects
        // version "Test123" although the model inside came from another run.
        using var harness = new HandlerHarness(testRun: true, model: CompiledModel.Load(File.ReadAllBytes(ModelTestFiles.CourseForestArtifact)), modelVersion: "Test123");
        var response = await harness.InvokeAsync(File.ReadAllBytes(EventFile("course-ride.json")));

        var prediction = Assert.Single(response.GetProperty("predictions").EnumerateArray());
        Assert.Equal("Test123", prediction.GetProperty("version").GetString());
        Assert.Equal(21.294545, prediction.GetProperty("prediction").GetProperty("ride_duration").GetDouble(), 1e-4);
        Assert.Equal("Test123", harness.Metrics().GetProperty("ModelVersion").GetString());
    }

    [Fact]
    public async Task The_TLC_batch_gives_one_prediction_per_ride_equal_to_the_model()
    {
        using var harness = new HandlerHarness();
        var response = await harness.InvokeAsync(File.ReadAllBytes(EventFile("tlc-batch-100.json")));

        Assert.Empty(FailureIds(response));
        var published = harness.Writer.Published(Predictions);
        var rides = SampleEvents.TlcRides(100);
        Assert.Equal(100, published.Count);
        for (var i = 0; i < 100; i++)
        {
            var prediction = published[i].GetProperty("prediction");
            var trip = rides[i].Trip;
            Assert.Equal(rides[i].RideIdJson, prediction.GetProperty("ride_id").GetRawText());
            Assert.Equal(TestModels.Expected(trip.PickupLocationId, trip.DropoffLocationId, trip.TripDistance), prediction.GetProperty("ride_duration").GetDouble(), 9);
            Assert.Equal(SampleEvents.Sequence(i), published[i].GetProperty("source_sequence_number").GetString());
        }
    }

    [Fact]
    public async Task The_poison_mix_dead_letters_each_poison_record_and_predicts_every_good_one()
    {
        using var harness = new HandlerHarness();
        var (_, kinds) = SampleEvents.PoisonMixed();
        var response = await harness.InvokeAsync(File.ReadAllBytes(EventFile("poison-mixed.json")));

        Assert.Empty(FailureIds(response));
        var expectedLetters = kinds.Select((kind, i) => (kind, i)).Where(k => k.kind is not null).Select(k => (k.kind, SampleEvents.Sequence(k.i))).ToList();
        var letters = harness.Writer.Published(Rejections)
            .Select(l => ((string?)l.GetProperty("error_kind").GetString(), l.GetProperty("source_sequence_number").GetString()!)).ToList();
        Assert.Equal(expectedLetters, letters);
        Assert.Equal(kinds.Count(k => k is null), harness.Writer.Published(Predictions).Count);
        Assert.True(kinds.Distinct().Count() >= 17, "the mix covers every poison kind");
    }
}
