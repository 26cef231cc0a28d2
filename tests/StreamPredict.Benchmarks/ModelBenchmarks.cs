using BenchmarkDotNet.Attributes;
using StreamPredict.Model;
using StreamPredict.Model.Artifact;
using StreamPredict.Data.Tlc;
using StreamPredict.Training.Linear;

namespace StreamPredict.Benchmarks;

/// <summary>
/// Time and allocation per prediction: the course event's ride alone, and a batch of 1024 mixed seen and unseen
/// pairs (reported per ride) so branch prediction cannot learn a single path through the trees.
/// </summary>
[MemoryDiagnoser]
public class ModelBenchmarks
{
    private const int BatchSize = 1024;
    private static readonly Ride CourseRide = new(130, 205, 3.66);

    private CompiledModel _linear = null!;
    private CompiledModel _forest = null!;
    private Ride[] _rides = null!;
    private double[] _durations = null!;

    [GlobalSetup]
    public void Setup()
    {
        string testData = Path.Combine(RepositoryPaths.Root, "tests", "StreamPredict.Tests", "TestData");
        TlcDataset trips = TlcDataset.ReadFile(Path.Combine(testData, "tlc", "green_tripdata_2021-01.sample.csv.gz"));
        _linear = CompiledModel.Load(ModelArtifactWriter.Write(LinearRegressionTrainer.Train(trips).Artifact));
        _forest = CompiledModel.Load(File.ReadAllBytes(Path.Combine(testData, "course-forest.model.json")));

        var random = new Random(7);
        _rides = [.. Enumerable.Range(0, BatchSize).Select(i => i % 2 == 0
            ? trips.Rows[random.Next(trips.Rows.Count)].Ride
            : new Ride(random.Next(1, 266), random.Next(1, 266), random.NextDouble() * 30))];
        _durations = new double[BatchSize];
    }

    [Benchmark]
    public double LinearCourseRide() => _linear.Predict(in CourseRide);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void LinearMixedBatch() => _linear.PredictBatch(_rides, _durations);

    [Benchmark]
    public double ForestCourseRide() => _forest.Predict(in CourseRide);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void ForestMixedBatch() => _forest.PredictBatch(_rides, _durations);
}
