using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using StreamPredict.Model;
using StreamPredict.Model.Artifact;
using StreamPredict.Model.Formats;
using StreamPredict.Model.Formats.Pickle;

namespace StreamPredict.Benchmarks;

/// <summary>
/// Reading and compiling a model from its pickle against from our JSON artifact of the same model: the course's forest
/// (model.pkl, 436 KB, against course-forest.model.json, 222 KB, which export_sklearn.py wrote from it) and the course's
/// lin_reg.bin (411 KB, 13,221 columns, against the artifact our reader writes from it). The "ColdStart" job times
/// the first call in a fresh process, JIT included (no ReadyToRun here, so an upper bound for the function);
/// the "Warm" job the steady state.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(RunStrategy.ColdStart, launchCount: 15, warmupCount: 0, iterationCount: 1, id: "ColdStart")]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 15, id: "Warm")]
public class ModelFormatBenchmarks
{
    private byte[] _forestArtifact = null!;
    private byte[] _forestPickle = null!;
    private byte[] _mlmodel = null!;
    private byte[] _linearArtifact = null!;
    private byte[] _linearPickle = null!;

    [GlobalSetup]
    public void Setup()
    {
        _forestArtifact = File.ReadAllBytes(BenchData.TestData("course-forest.model.json"));
        _forestPickle = File.ReadAllBytes(BenchData.TestData("course-model", "model.pkl"));
        _mlmodel = File.ReadAllBytes(BenchData.TestData("course-model", "MLmodel"));
        _linearPickle = File.ReadAllBytes(BenchData.TestData("lin_reg.bin"));
        _linearArtifact = ModelArtifactWriter.Write(ModelFormats.ToArtifact(_linearPickle, new ModelReadOptions { Version = "lin_reg" }));
    }

    [Benchmark(Baseline = true, Description = "JSON artifact: verify + compile")]
    [BenchmarkCategory("forest")]
    public CompiledModel ForestArtifact() => CompiledModel.Load(_forestArtifact);

    [Benchmark(Description = "pickle: read + convert + compile")]
    [BenchmarkCategory("forest")]
    public CompiledModel ForestPickle() => ModelFormats.Load(_forestPickle).Model;

    [Benchmark(Description = "pickle: read only (pickle machine)")]
    [BenchmarkCategory("forest")]
    public object? ForestPickleMachine() => PickleMachine.Load(_forestPickle);

    [Benchmark(Description = "MLflow folder: MLmodel + pickle + SHA-256")]
    [BenchmarkCategory("forest")]
    public CompiledModel ForestMlflowFolder() => ModelFolder.LoadAsync(InMemoryFolder).GetAwaiter().GetResult().Model;

    [Benchmark(Baseline = true, Description = "JSON artifact: verify + compile")]
    [BenchmarkCategory("linear")]
    public CompiledModel LinearArtifact() => CompiledModel.Load(_linearArtifact);

    [Benchmark(Description = "pickle: read + convert + compile")]
    [BenchmarkCategory("linear")]
    public CompiledModel LinearPickle() => ModelFormats.Load(_linearPickle).Model;

    private ValueTask<byte[]?> InMemoryFolder(string path, CancellationToken cancellationToken) =>
        ValueTask.FromResult(path switch
        {
            "MLmodel" => _mlmodel,
            "model.pkl" => _forestPickle,
            _ => null,
        });
}
