using StreamPredict.Data.Tlc;
using StreamPredict.Model;
using StreamPredict.Model.Artifact;
using StreamPredict.Training.Linear;

namespace StreamPredict.Training;

/// <summary>
/// What every trainer hands back: its draft artifact compiled by our engine (the one that serves it), scored on the
/// training and validation trips, with those scores and the data's provenance written into the artifact's metadata.
/// </summary>
public sealed record ScoredArtifact(ModelArtifact Artifact, CompiledModel Model, double TrainRmse, double? ValidationRmse)
{
    public static ScoredArtifact Score(ModelArtifact draft, string producer, TlcDataset training, TlcDataset? validation)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(training);
        CompiledModel model = CompiledModel.Compile(draft);
        double trainRmse = LinearRegressionTrainer.Rmse(model, training.Rows);
        double? validationRmse = validation is null ? null : LinearRegressionTrainer.Rmse(model, validation.Rows);
        ModelArtifact artifact = new()
        {
            Name = draft.Name,
            Version = draft.Version,
            Features = draft.Features,
            Estimator = draft.Estimator,
            Training = new TrainingMetadata
            {
                Producer = producer,
                Source = training.Source,
                Rows = training.Rows.Count,
                TrainRmse = trainRmse,
                ValidationSource = validation?.Source,
                ValidationRows = validation?.Rows.Count,
                ValidationRmse = validationRmse,
            },
        };
        return new ScoredArtifact(artifact, model, trainRmse, validationRmse);
    }
}
