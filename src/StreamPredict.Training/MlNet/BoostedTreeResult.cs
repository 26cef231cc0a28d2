using Microsoft.ML;
using StreamPredict.Model;
using StreamPredict.Model.Artifact;

namespace StreamPredict.Training.MlNet;

/// <summary>What boosting produced: our artifact, the same model compiled by our engine, its scores, and ML.NET's own model.</summary>
public sealed class BoostedTreeResult
{
    public required ModelArtifact Artifact { get; init; }

    /// <summary>The converted model in our engine; the RMSE figures are this model's.</summary>
    public required CompiledModel Model { get; init; }

    public required double TrainRmse { get; init; }

    /// <summary>Null when no validation set was given.</summary>
    public double? ValidationRmse { get; init; }

    /// <summary>Trees kept: fewer than asked for when early stopping ended training.</summary>
    public required int Trees { get; init; }

    public required int Columns { get; init; }

    /// <summary>Featurizing both sets and ML.NET's Fit; conversion and scoring not included.</summary>
    public required TimeSpan FitTime { get; init; }

    /// <summary>ML.NET's model and context, for comparing its PredictionEngine with our engine.</summary>
    public required ITransformer MlNetModel { get; init; }

    public required MLContext Context { get; init; }

    /// <summary>How rides become ML.NET's Features vector (set by the trainer).</summary>
    internal RideFeatureLayout Layout { get; init; } = null!;
}
