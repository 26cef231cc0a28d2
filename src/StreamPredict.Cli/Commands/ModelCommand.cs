using System.CommandLine;
using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.S3;
using StreamPredict.Cli.Infrastructure;
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
        var file = new Argument<FileInfo>("model.json") { Description = "The model artifact to upload." };
        var bucket = new Option<string>("--bucket") { Description = "The model bucket (MODEL_BUCKET).", Required = true };
        var runId = new Option<string>("--run-id") { Description = "The run id (RUN_ID): one segment of the key.", Required = true };
        var experiment = new Option<string>("--experiment-id")
        {
            Description = "The MLflow experiment id (MLFLOW_EXPERIMENT_ID).",
            DefaultValueFactory = _ => ModelLocation.DefaultExperimentId,
        };
        var json = CommandActions.JsonOption();
        var command = new Command("push", "Upload model.json to s3://BUCKET/EXPERIMENT/RUN/artifacts/model/model.json, where the function looks.")
        {
            file, bucket, runId, experiment, json,
        };
        CommandActions.Set(command, context, async (parse, cancellationToken) =>
        {
            var summary = await PushAsync(context, parse.GetRequiredValue(file), parse.GetRequiredValue(bucket),
                parse.GetRequiredValue(runId), parse.GetRequiredValue(experiment), cancellationToken).ConfigureAwait(false);
            context.WriteSummary(summary, parse.GetValue(json));
            return ExitCodes.Success;
        });
        return command;
    }

    public static async Task<Summary> PushAsync(CliContext context, FileInfo file, string bucket, string runId, string experimentId, CancellationToken cancellationToken)
    {
        TrainCommand.RequireRunId(runId);
        if (string.IsNullOrWhiteSpace(experimentId) || experimentId.Contains('/', StringComparison.Ordinal))
        {
            throw new CliException($"--experiment-id '{experimentId}' must be a non-empty id without '/'.");
        }

        // Refuse to publish what the function would refuse to load.
        var (model, bytes, _) = await ModelFiles.LoadAsync(context, file.FullName, "model.json", cancellationToken).ConfigureAwait(false);
        var key = ModelLocation.CourseModelKey(experimentId, runId);
        using var store = new S3ObjectStore(AwsEnvironment.FromEnvironment(context.GetVariable));
        var put = await store.PutAsync(bucket, key, bytes, cancellationToken, "application/json").ConfigureAwait(false);
        if (model.Version != runId)
        {
            context.Info($"note: the model's version is '{model.Version}', pushed under run id '{runId}'.");
        }

        return new Summary()
            .Add("location", $"s3://{bucket}/{key}")
            .Add("bucket", bucket)
            .Add("key", key)
            .Add("bytes", bytes.LongLength)
            .Add("etag", put.ETag)
            .Add("version_id", put.VersionId)
            .Add("name", model.Name)
            .Add("model_version", model.Version)
            .Add("function_env", $"MODEL_BUCKET={bucket} MLFLOW_EXPERIMENT_ID={experimentId} RUN_ID={runId}");
    }

    private static Command CreateShow(CliContext context)
    {
        var location = new Argument<string>("location") { Description = "A model.json path or s3://bucket/key." };
        var json = CommandActions.JsonOption();
        var command = new Command("show", "Describe a model: name, version, estimator, features, training metadata, checksum.") { location, json };
        CommandActions.Set(command, context, async (parse, cancellationToken) =>
        {
            var where = parse.GetRequiredValue(location);
            var bytes = await ModelFiles.ReadAsync(context, ModelLocation.Parse(where, "location"), cancellationToken).ConfigureAwait(false);
            var (summary, error) = ModelFiles.Describe(bytes, where);
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
