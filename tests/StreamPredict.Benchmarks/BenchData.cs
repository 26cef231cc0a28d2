using System.Globalization;
using System.Text;
using StreamPredict.Aws.Lambda.Events;
using StreamPredict.Model;
using StreamPredict.Model.Artifact;
using StreamPredict.Data.Tlc;
using StreamPredict.Training.Linear;

namespace StreamPredict.Benchmarks;

/// <summary>Inputs shared by the hot-path suites: the two models and Lambda Kinesis events of real TLC rides.</summary>
internal static class BenchData
{
    private static readonly Lazy<TlcDataset> January = new(() => TlcDataset.ReadFile(TestData("tlc", "green_tripdata_2021-01.sample.csv.gz")));
    private static readonly Lazy<TlcDataset> February = new(() => TlcDataset.ReadFile(TestData("tlc", "green_tripdata_2021-02.sample.csv.gz")));

    /// <summary>"linear": trained on the full 2021-01 data when /work/shared or STREAMPREDICT_TLC_DATA has it, else the committed sample; "forest": the course's.</summary>
    public static CompiledModel Model(string name) => name switch
    {
        "linear" => CompiledModel.Load(ModelArtifactWriter.Write(LinearRegressionTrainer.Train(LinearTrainingData()).Artifact)),
        "forest" => CompiledModel.Load(File.ReadAllBytes(TestData("course-forest.model.json"))),
        _ => throw new ArgumentException($"unknown model '{name}': use linear or forest", nameof(name)),
    };

    public static ModelArtifact LinearArtifact() => LinearRegressionTrainer.Train(LinearTrainingData()).Artifact;

    /// <summary>The ride JSON of February's trips, repeated to <paramref name="count"/>, with unique string ride_ids as the CLI producer sends.</summary>
    public static byte[][] RideJson(int count)
    {
        var trips = February.Value.Rows;
        var rides = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var ride = trips[i % trips.Count].Ride;
            rides[i] = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"{{\"ride\":{{\"PULocationID\":{ride.PickupLocationId},\"DOLocationID\":{ride.DropoffLocationId},\"trip_distance\":{ride.TripDistance}}},\"ride_id\":\"ride-5f3a9c1e-{i:D7}\"}}"));
        }

        return rides;
    }

    public static byte[] KinesisEvent(byte[][] rides) => KinesisEventWriter.Write(rides.Select((json, i) => new SourceRecord(
        Convert.ToBase64String(json), $"ride-5f3a9c1e-{i:D7}", string.Create(CultureInfo.InvariantCulture, $"4959033827149025660855969253836157109592157598{i:D10}"),
        1_700_000_000.123 + (i / 1000.0))));

    private static TlcDataset LinearTrainingData() => FullOrSample("green_tripdata_2021-01.filtered.csv.gz", January);

    /// <summary>The course split (2021-01 to train, 2021-02 to validate): the full months when present, else the committed samples.</summary>
    public static (TlcDataset Training, TlcDataset Validation) CourseSplit() =>
        (FullOrSample("green_tripdata_2021-01.filtered.csv.gz", January), FullOrSample("green_tripdata_2021-02.filtered.csv.gz", February));

    private static TlcDataset FullOrSample(string name, Lazy<TlcDataset> sample)
    {
        var full = Path.Combine(TlcData.Folder ?? "", name);
        return File.Exists(full) ? TlcDataset.ReadFile(full) : sample.Value;
    }

    public static string TestData(params string[] parts) => Path.Combine([RepositoryPaths.Root, "tests", "StreamPredict.Tests", "TestData", .. parts]);
}
