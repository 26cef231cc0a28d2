using System.Text.Json;
using StreamPredict.Model;

namespace StreamPredict.Tests.Model;

public class CourseForestTests
{
    private static readonly CompiledModel Forest = CompiledModel.Load(File.ReadAllBytes(ModelTestFiles.CourseForestArtifact));

    [Fact]
    public void Exported_course_forest_predicts_what_sklearn_predicts_for_the_course_event()
    {
        Ride ride = RideFromCourseEvent();

        Assert.Equal(new Ride(130, 205, 3.66), ride);
        Assert.Equal(21.294545, Forest.Predict(ride), 1e-4);
    }

    [Fact]
    public void Exported_course_forest_keeps_the_mlflow_run_id_as_its_version()
    {
        Assert.Equal("e1efc53e9bd149078b0c12aeaa6365df", Forest.Version);
        Assert.Equal("tree_ensemble", Forest.Kind);
    }

    [Fact]
    public void Predictions_allocate_nothing()
    {
        CompiledModel linear = CompiledModel.Load(ArtifactDocuments.Wrap(ArtifactDocuments.ModelJson(
            ArtifactDocuments.TwoColumns, """{"kind":"linear","intercept":1,"weights":[2,3]}""")));
        Ride[] rides = [new(130, 205, 3.66), new(1, 2, 0.5)];
        double[] durations = new double[rides.Length];
        double sink = Forest.Predict(rides[0]) + linear.Predict(rides[0]);
        Forest.PredictBatch(rides, durations);

        // The runtime itself may allocate on this thread while it tiers the methods up (seen once in three full runs),
        // so the best of five windows counts; an allocating prediction would allocate in every window.
        long fewest = long.MaxValue;
        for (int window = 0; window < 5 && fewest > 0; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                sink += Forest.Predict(rides[i % 2]) + linear.Predict(rides[i % 2]);
                Forest.PredictBatch(rides, durations);
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, fewest);
        Assert.True(double.IsFinite(sink));
    }

    private static Ride RideFromCourseEvent()
    {
        using JsonDocument kinesisEvent = JsonDocument.Parse(File.ReadAllText(ModelTestFiles.TestData("course-model/kinesis-event.json")));
        byte[] data = kinesisEvent.RootElement.GetProperty("Records")[0].GetProperty("kinesis").GetProperty("data").GetBytesFromBase64();
        using JsonDocument payload = JsonDocument.Parse(data);
        JsonElement ride = payload.RootElement.GetProperty("ride");
        return new Ride(
            ride.GetProperty("PULocationID").GetInt32(),
            ride.GetProperty("DOLocationID").GetInt32(),
            ride.GetProperty("trip_distance").GetDouble());
    }
}
