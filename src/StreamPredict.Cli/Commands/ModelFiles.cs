using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.S3;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.Model;
using StreamPredict.Model.Formats;
using StreamPredict.Serving.Models;

namespace StreamPredict.Cli.Commands;

/// <summary>Loading (through the shared <see cref="ModelLoader"/>) and describing model artifacts for `predict`, `model` and `bench`.</summary>
internal static class ModelFiles
{
    /// <summary>A model given on the command line (a path, a folder or s3://bucket/key), read by the one loader every mode uses.</summary>
    public static Task<LoadedModel> LoadAsync(CliContext context, string location, string option, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var where = ModelLocation.Parse(location, option);
        return ModelLoader.LoadModelAsync(where, () => new S3ObjectDownloader(AwsEnvironment.FromEnvironment(context.GetVariable)), cancellationToken);
    }

    /// <summary>
    /// What the model says about itself as the loader read it, whatever its format: its source (format, SHA-256 of the
    /// bytes read, every file), name, version, estimator, features and training metadata. Null error: it loads.
    /// </summary>
    public static async Task<(Summary Summary, string? Error)> DescribeAsync(CliContext context, string location, CancellationToken cancellationToken)
    {
        var summary = new Summary().Add("source", location);
        LoadedModel loaded;
        try
        {
            loaded = await LoadAsync(context, location, "location", cancellationToken).ConfigureAwait(false);
        }
        catch (ModelUnavailableException exception)
        {
            var error = exception.InnerException is ModelLoadException inner ? inner.Message : exception.Message;
            summary.Add("checksum", error.Contains("checksum", StringComparison.Ordinal) ? "MISMATCH" : "not checked")
                .Add("loads", false)
                .Add("error", error);
            return (summary, error);
        }

        var (artifact, source) = (loaded.Artifact, loaded.Source);
        summary.Add("format", FormatName(source.Format))
            .Add("sha256", source.Sha256)
            .Add("description", source.Description)
            .Add("files", source.Files.Select(file => $"{file.Path} ({file.Length} bytes, sha256 {file.Sha256})").ToList())
            .Add("name", artifact.Name)
            .Add("version", artifact.Version)
            .Add("estimator", artifact.Estimator.Kind)
            .Add("trees", artifact.Estimator.Trees?.Count)
            .Add("features", artifact.Features.Columns.Count);
        var training = artifact.Training;
        summary.Add("training", new Summary()
            .Add("producer", training.Producer)
            .Add("source", training.Source)
            .Add("rows", training.Rows)
            .Add("train_rmse", training.TrainRmse)
            .Add("validation_source", training.ValidationSource)
            .Add("validation_rows", training.ValidationRows)
            .Add("validation_rmse", training.ValidationRmse));
        summary.Add("checksum", source.Format == ModelFormat.StreamPredictArtifact ? "verified" : "none in this format (sha256 is of the bytes read)")
            .Add("loads", true)
            .Add("error", null);
        return (summary, null);
    }

    private static string FormatName(ModelFormat format) => format switch
    {
        ModelFormat.StreamPredictArtifact => "streampredict.model/v1",
        ModelFormat.Pickle => "pickle (scikit-learn)",
        ModelFormat.XgboostJson => "xgboost json",
        ModelFormat.XgboostUbjson => "xgboost ubjson",
        ModelFormat.MlflowFolder or ModelFormat.MlflowMlmodel => "mlflow model folder",
        _ => format.ToString(),
    };
}
