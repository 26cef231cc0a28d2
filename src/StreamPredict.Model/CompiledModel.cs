using System.Runtime.CompilerServices;
using StreamPredict.Model.Artifact;
using StreamPredict.Model.Inference;

namespace StreamPredict.Model;

/// <summary>A verified model artifact compiled into flat arrays for allocation-free inference.</summary>
public sealed class CompiledModel
{
    private readonly FeatureColumns _columns;
    private readonly CompiledEstimator _estimator;

    private CompiledModel(string name, string version, FeatureColumns columns, CompiledEstimator estimator)
    {
        Name = name;
        Version = version;
        _columns = columns;
        _estimator = estimator;
    }

    public string Name { get; }

    /// <summary>The run id the artifact was trained or exported under.</summary>
    public string Version { get; }

    /// <summary>"linear" or "tree_ensemble".</summary>
    public string Kind => _estimator is LinearEstimator ? EstimatorSpec.LinearKind : EstimatorSpec.TreeEnsembleKind;

    /// <summary>Parses, checksum-verifies and compiles a model artifact. Throws <see cref="ModelLoadException"/>.</summary>
    public static CompiledModel Load(ReadOnlySpan<byte> utf8Json) => Compile(ModelDocumentReader.Read(utf8Json));

    /// <summary>Compiles an in-memory artifact (no checksum involved); the trainer uses it to score what it built.</summary>
    public static CompiledModel Compile(ModelArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        if (string.IsNullOrWhiteSpace(artifact.Name))
        {
            throw new ModelLoadException("the model's \"name\" is empty");
        }

        if (string.IsNullOrWhiteSpace(artifact.Version))
        {
            throw new ModelLoadException("the model's \"version\" is empty");
        }

        FeatureSpec features = artifact.Features ?? throw new ModelLoadException("the model has no \"features\"");
        EstimatorSpec estimator = artifact.Estimator ?? throw new ModelLoadException("the model has no \"estimator\"");
        FeatureColumns columns = FeatureColumns.Compile(features.Columns ?? throw new ModelLoadException("features has no \"columns\""));
        CompiledEstimator compiled = estimator.Kind switch
        {
            EstimatorSpec.LinearKind => LinearEstimator.Compile(estimator, columns),
            EstimatorSpec.TreeEnsembleKind => TreeEnsembleEstimator.Compile(estimator, columns),
            _ => throw new ModelLoadException(
                $"unknown estimator kind \"{estimator.Kind}\"; expected \"{EstimatorSpec.LinearKind}\" or \"{EstimatorSpec.TreeEnsembleKind}\""),
        };
        return new CompiledModel(artifact.Name, artifact.Version, columns, compiled);
    }

    /// <summary>Predicted ride duration in minutes. The ride must have passed <see cref="RideValidator"/>.</summary>
    public double Predict(in Ride ride) => _estimator.Predict(_columns.Locate(in ride));

    // Optimised at its first call: a batch `score` lasts about a second, and tiering would run this loop unoptimised for
    // much of it (src/StreamPredict.Batch/README.md, "Performance"). NativeAOT hosts ignore the attribute.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PredictBatch(ReadOnlySpan<Ride> rides, Span<double> durations)
    {
        if (durations.Length != rides.Length)
        {
            throw new ArgumentException(
                $"durations has {durations.Length} slots for {rides.Length} rides; they must match", nameof(durations));
        }

        for (int i = 0; i < rides.Length; i++)
        {
            durations[i] = Predict(in rides[i]);
        }
    }
}
