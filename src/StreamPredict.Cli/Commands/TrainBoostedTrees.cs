using System.Diagnostics;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.Model.Artifact;
using StreamPredict.Data.Tlc;
using StreamPredict.Training.Linear;
using StreamPredict.Training.MlNet;

namespace StreamPredict.Cli.Commands;

/// <summary>`train --trainer fasttree|lightgbm`: ML.NET's gradient-boosted trees, converted into our artifact.</summary>
internal static class TrainBoostedTrees
{
    public static async Task<Summary> RunAsync(CliContext context, BoostingChoice choice, FileInfo data, FileInfo? validate, FileInfo output,
        string? name, string? runId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(choice);
        var clock = Stopwatch.StartNew();
        if (choice.EarlyStopping > 0 && validate is null)
        {
            throw new CliException("--early-stopping needs --validate: it stops on the validation RMSE.");
        }

        var defaults = new BoostedTreeOptions();
        var options = new BoostedTreeOptions
        {
            Trainer = choice.Trainer,
            Trees = choice.Trees ?? defaults.Trees,
            Leaves = choice.Leaves ?? defaults.Leaves,
            LearningRate = choice.LearningRate ?? defaults.LearningRate,
            EarlyStopping = choice.EarlyStopping ?? (validate is null ? 0 : defaults.EarlyStopping),
            Name = name ?? $"duration-{choice.Name}",
            Version = runId is null ? defaults.Version : TrainCommand.RequireRunId(runId),
        };
        if (string.IsNullOrWhiteSpace(options.Name))
        {
            throw new CliException("--name must not be empty.");
        }

        TlcDataset training = TrainCommand.Read(data, "--data");
        TlcDataset? validation = validate is null ? null : TrainCommand.Read(validate, "--validate");
        TimeSpan readTime = clock.Elapsed;
        context.Info($"training {choice.Name} on {training.Rows.Count:N0} trips from {data.Name}...");

        // FastTree reports every iteration (a bar up to --trees; early stopping may end it sooner). ML.NET tells nothing
        // about LightGBM's iterations until it is done, so LightGBM gets a spinner.
        bool bar = BoostedTreeTrainer.ReportsIterations(options.Trainer);
        string description = bar ? $"{choice.Name}: boosting iterations" : $"{choice.Name}: boosting (up to {options.Trees} iterations)";
        BoostedTreeResult result = await Progress.RunAsync(context, description, bar ? options.Trees : 0, progress =>
            Task.Run(() => BoostedTreeTrainer.Train(training, validation, options, bar ? new Relay(progress) : null))).ConfigureAwait(false);

        output.Directory?.Create();
        ModelArtifactWriter.WriteFile(result.Artifact, output.FullName);
        return new Summary()
            .Add("model", output.FullName)
            .Add("name", result.Artifact.Name)
            .Add("version", result.Artifact.Version)
            .Add("trainer", choice.Name)
            .Add("producer", result.Artifact.Training.Producer)
            .Add("train_rows", training.Rows.Count)
            .Add("train_rmse", result.TrainRmse)
            .Add("validation_rows", validation?.Rows.Count)
            .Add("validation_rmse", result.ValidationRmse)
            .Add("trees", result.Trees)
            .Add("columns", result.Columns)
            .Add("read_seconds", readTime.TotalSeconds)
            .Add("fit_seconds", result.FitTime.TotalSeconds)
            .Add("seconds", clock.Elapsed.TotalSeconds)
            .Add("parameters", new Summary()
                .Add("trees", options.Trees)
                .Add("leaves", options.Leaves)
                .Add("learning_rate", options.LearningRate)
                .Add("early_stopping", options.EarlyStopping)
                .Add("min_examples_per_leaf", options.MinExamplesPerLeaf)
                .Add("seed", options.Seed)
                .Add("threads", options.Threads ?? (options.Trainer == BoostingTrainer.LightGbm ? 1 : Environment.ProcessorCount))
                .Add("features", options.Encoding switch
                {
                    RideEncoding.Zones => "PULocationID and DOLocationID as categories, trip_distance",
                    RideEncoding.Pairs => "PU_DO one-hot, trip_distance",
                    _ => "PU_DO one-hot, PULocationID and DOLocationID as categories, trip_distance",
                }));
    }

    /// <summary>Passes the iteration count straight to the progress bar (which is thread-safe), from ML.NET's training thread.</summary>
    private sealed class Relay(IProgress<double> bar) : IProgress<int>
    {
        public void Report(int value) => bar.Report(value);
    }
}
