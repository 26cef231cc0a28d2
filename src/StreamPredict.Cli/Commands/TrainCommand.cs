using System.CommandLine;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.Model.Artifact;
using StreamPredict.Data.Tlc;
using StreamPredict.Training.Linear;

namespace StreamPredict.Cli.Commands;

/// <summary>`train`: least-squares on TLC trips (the course's LinearRegression), written as a checksummed artifact.</summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<FileInfo>("--data") { Description = "TLC trips to train on: parquet, CSV or csv.gz (green or yellow).", Required = true };
        var validate = new Option<FileInfo?>("--validate") { Description = "TLC trips (parquet, CSV or csv.gz) to report the validation RMSE on." };
        var output = new Option<FileInfo>("--out") { Description = "Where to write model.json.", Required = true };
        var name = new Option<string>("--name") { Description = "Model name.", DefaultValueFactory = _ => new TrainingOptions().Name };
        var runId = new Option<string?>("--run-id") { Description = "Run id recorded as the model version (default: a fresh 32-hex id)." };
        var json = CommandActions.JsonOption();
        var boosting = new BoostingOptions();
        var command = new Command("train", "Train the ride-duration model on TLC trips and write model.json.") { data, validate, output, name, runId, json };
        boosting.AddTo(command);
        CommandActions.Set(command, context, async (parse, _) =>
        {
            Summary result;
            if (boosting.IsLinear(parse))
            {
                result = Train(context, parse.GetRequiredValue(data), parse.GetValue(validate), parse.GetRequiredValue(output),
                    parse.GetRequiredValue(name), parse.GetValue(runId)).ToSummary();
            }
            else
            {
                // Gradient-boosted trees (ML.NET) live in TrainBoostedTrees.cs; only the data reading is shared.
                result = await TrainBoostedTrees.RunAsync(context, boosting.Read(parse), parse.GetRequiredValue(data), parse.GetValue(validate),
                    parse.GetRequiredValue(output), parse.GetResult(name) is { Implicit: false } ? parse.GetValue(name) : null,
                    parse.GetValue(runId)).ConfigureAwait(false);
            }

            context.WriteSummary(result, parse.GetValue(json));
            return ExitCodes.Success;
        });
        return command;
    }

    public static TrainResult Train(CliContext context, FileInfo data, FileInfo? validate, FileInfo output, string name, string? runId)
    {
        var training = Read(data, "--data");
        var validation = validate is null ? null : Read(validate, "--validate");
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new CliException("--name must not be empty.");
        }

        var options = runId is null ? new TrainingOptions { Name = name } : new TrainingOptions { Name = name, Version = RequireRunId(runId) };
        context.Info($"training on {training.Rows.Count:N0} trips from {data.Name}...");
        var result = LinearRegressionTrainer.Train(training, validation, options);
        output.Directory?.Create();
        ModelArtifactWriter.WriteFile(result.Artifact, output.FullName);
        return new TrainResult
        {
            ModelPath = output.FullName,
            Name = result.Artifact.Name,
            Version = result.Artifact.Version,
            TrainRows = training.Rows.Count,
            TrainRmse = result.TrainRmse,
            ValidationRows = validation?.Rows.Count,
            ValidationRmse = result.ValidationRmse,
            Categories = result.Categories,
            MinutesPerMile = result.DistanceWeight,
        };
    }

    /// <summary>Run ids become one S3 key segment.</summary>
    public static string RequireRunId(string runId)
    {
        if (string.IsNullOrWhiteSpace(runId) || runId.Contains('/', StringComparison.Ordinal) || runId.Any(char.IsWhiteSpace))
        {
            throw new CliException($"--run-id '{runId}' must be a non-empty id without '/' or spaces (it is one segment of the S3 key).");
        }

        return runId;
    }

    internal static TlcDataset Read(FileInfo file, string option)
    {
        if (!file.Exists)
        {
            throw new CliException($"{option}: file '{file.FullName}' does not exist.");
        }

        var dataset = TlcDataset.ReadFile(file.FullName);
        if (dataset.Rows.Count == 0)
        {
            throw new CliException($"{option}: '{file.Name}' has no trips of 1..60 minutes ({dataset.RowsRead} rows read).");
        }

        return dataset;
    }
}
