using StreamPredict.Model;
using StreamPredict.Model.Artifact;

namespace StreamPredict.Training.Linear;

/// <summary>What training produced: the artifact to write, the same model compiled, and its scores.</summary>
public sealed class TrainingResult
{
    public required ModelArtifact Artifact { get; init; }

    public required CompiledModel Model { get; init; }

    public required double TrainRmse { get; init; }

    /// <summary>Null when no validation set was given.</summary>
    public double? ValidationRmse { get; init; }

    /// <summary>Distinct PU_DO pairs seen in training: the one-hot columns.</summary>
    public int Categories { get; init; }

    /// <summary>Minutes per mile, shared by all pairs.</summary>
    public double DistanceWeight { get; init; }
}
