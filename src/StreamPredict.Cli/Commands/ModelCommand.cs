using System.CommandLine;
using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.S3;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.Model.Formats;
using StreamPredict.Serving.Models;
using StreamPredict.Serving.Streaming;

namespace StreamPredict.Cli.Commands;

/// <summary>`model push` (to the course's MLflow artifact layout) and `model show`.</summary>
internal static class ModelCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("model", "Push a model to S3 or describe one.");
        command.Subcommands.Add(CreatePush(context));
        command.Subcommands.Add(CreateShow(context));
        return command;
    }

    private static Command CreatePush(CliContext context)
    {
        var file = new Argument<string>("model") { Description = "The model to upload: our model.json, or an MLflow model folder (MLmodel + model.pkl, as the course logs it)." };
        var bucket = new Option<string>("--bucket") { Description = "The model bucket (MODEL_BUCKET).", Required = true };
        var runId = new Option<string>("--run-id") { Description = "The run id (RUN_ID): one segment of the key.", Required = true };
        var experiment = new Option<string>("--experiment-id")
        {
            Description = "The MLflow experiment id (MLFLOW_EXPERIMENT_ID).",
            DefaultValueFactory = _ => ModelLocation.DefaultExperimentId,
        };
        var json = CommandActions.JsonOption();
        var command = new Command("push", "Upload a model to s3://BUCKET/EXPERIMENT/RUN/artifacts/model/, where every mode looks for RUN_ID.")
        {
            file, bucket, runId, experiment, json,
        };
        CommandActions.Set(command, context, async (parse, cancellationToken) =>
        {
            var pushed = await PushAsync(context, parse.GetRequiredValue(file), parse.GetRequiredValue(bucket),
                parse.GetRequiredValue(runId), parse.GetRequiredValue(experiment), cancellationToken).ConfigureAwait(false);
            context.WriteSummary(pushed.ToSummary(), parse.GetValue(json));
            return ExitCodes.Success;
        });
        return command;
    }

    public static async Task<PushResult> PushAsync(CliContext context, string path, string bucket, string runId, string experimentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        TrainCommand.RequireRunId(runId);
        if (string.IsNullOrWhiteSpace(experimentId) || experimentId.Contains('/', StringComparison.Ordinal))
        {
            throw new CliException($"--experiment-id '{experimentId}' must be a non-empty id without '/'.");
        }

        // Refuse to publish what the function would refuse to load.
        var loaded = await ModelFiles.LoadAsync(context, path, "model", cancellationToken).ConfigureAwait(false);
        var modelKey = ModelLocation.CourseModelKey(experimentId, runId);
        var folderKey = modelKey[..(modelKey.LastIndexOf('/') + 1)];
        var uploads = Directory.Exists(path)
            ? Directory.GetFiles(path).Order(StringComparer.Ordinal).Select(file => (File: file, Key: folderKey + Path.GetFileName(file))).ToList()
            : loaded.Source.Format == ModelFormat.StreamPredictArtifact
                ? [(File: path, Key: modelKey)]
                : throw new CliException($"'{path}' is a {loaded.Source.Format} file: push the MLflow model folder that holds it (MLmodel beside it), so the function finds it by RUN_ID.");
        using var store = new S3ObjectStore(AwsEnvironment.FromEnvironment(context.GetVariable));
        long bytes = 0;
        string? etag = null;
        foreach (var (file, key) in uploads)
        {
            var body = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            var put = await store.PutAsync(bucket, key, body, cancellationToken, key.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : "application/octet-stream").ConfigureAwait(false);
            (bytes, etag) = (bytes + body.LongLength, put.ETag);
        }

        if (loaded.Model.Version != runId)
        {
            context.Info($"note: the model's version is '{loaded.Model.Version}', pushed under run id '{runId}'.");
        }

        var location = uploads.Count == 1 ? $"s3://{bucket}/{modelKey}" : $"s3://{bucket}/{folderKey}";
        return new PushResult
        {
            Location = location,
            Bucket = bucket,
            Key = uploads.Count == 1 ? modelKey : folderKey,
            Files = uploads.Count,
            Bytes = bytes,
            ETag = etag,
            Format = loaded.Source.Format.ToString(),
            Sha256 = loaded.Source.Sha256,
            Name = loaded.Model.Name,
            ModelVersion = loaded.Model.Version,
            FunctionEnvironment = $"MODEL_BUCKET={bucket} MLFLOW_EXPERIMENT_ID={experimentId} RUN_ID={runId}",
        };
    }

    private static Command CreateShow(CliContext context)
    {
        var location = new Argument<string>("location") { Description = "A model (model.json, a pickle, an XGBoost model, a folder or an MLflow folder): a path or s3://bucket/key." };
        var json = CommandActions.JsonOption();
        var command = new Command("show", "Describe a model: name, version, estimator, features, training metadata, checksum.") { location, json };
        CommandActions.Set(command, context, async (parse, cancellationToken) =>
        {
            var where = parse.GetRequiredValue(location);
            var (summary, error) = await ModelFiles.DescribeAsync(context, where, cancellationToken).ConfigureAwait(false);
            context.WriteSummary(summary, parse.GetValue(json));
            if (error is not null)
            {
                context.Error.WriteLine($"error: the model at {where} does not load: {error}");
            }

            return error is null ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
