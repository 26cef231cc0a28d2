using BenchmarkDotNet.Attributes;
using StreamPredict.Model;
using StreamPredict.Model.Artifact;
using StreamPredict.Training.MlNet;

namespace StreamPredict.Benchmarks;

/// <summary>
/// One LightGBM model trained with ML.NET on the course split (the full months when present), predicted by ML.NET's own
/// PredictionEngine and by our compiled engine after conversion: time and bytes per prediction, over 1,024 mixed rides.
/// </summary>
/// <remarks>
/// ML.NET gets its best case: the input row, the sparse feature buffers and the output row are reused, so what it
/// allocates is its own. Our side is the served path: CompiledModel.Predict on a ride.
/// </remarks>
[MemoryDiagnoser]
#pragma warning disable CA1001 // BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes the engine.
public class MlNetEngineBenchmarks
#pragma warning restore CA1001
{
    private const int BatchSize = 1024;

    private CompiledModel _ours = null!;
    private MlNetRidePredictor _mlNet = null!;
    private Ride[] _rides = null!;

    [GlobalSetup]
    public void Setup()
    {
        var (training, validation) = BenchData.CourseSplit();
        BoostedTreeResult trained = BoostedTreeTrainer.Train(training, validation, new BoostedTreeOptions());
        _ours = CompiledModel.Load(ModelArtifactWriter.Write(trained.Artifact));
        _mlNet = new MlNetRidePredictor(trained);

        var random = new Random(7);
        _rides = [.. Enumerable.Range(0, BatchSize).Select(i => i % 2 == 0
            ? validation.Rows[random.Next(validation.Rows.Count)].Ride
            : new Ride(random.Next(1, 266), random.Next(1, 266), random.NextDouble() * 30))];
    }

    [GlobalCleanup]
    public void Cleanup() => _mlNet.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize, Description = "ML.NET PredictionEngine")]
    public double MlNetPredictionEngine()
    {
        double sum = 0;
        foreach (Ride ride in _rides)
        {
            sum += _mlNet.Predict(in ride);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = BatchSize, Description = "our compiled engine")]
    public double CompiledEngine()
    {
        double sum = 0;
        foreach (Ride ride in _rides)
        {
            sum += _ours.Predict(in ride);
        }

        return sum;
    }
}
