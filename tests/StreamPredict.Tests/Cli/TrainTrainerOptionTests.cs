using System.Text.Json;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.Model;
using StreamPredict.Tests.Model;
using static StreamPredict.Tests.Cli.CliRun;

namespace StreamPredict.Tests.Cli;

/// <summary>`train --trainer fasttree|lightgbm` end to end in process, on the committed TLC samples, and its usage errors.</summary>
public sealed class TrainTrainerOptionTests
{
    private static readonly string Data = ModelTestFiles.TestData(Path.Combine("tlc", "green_tripdata_2021-01.sample.csv.gz"));
    private static readonly string Validate = ModelTestFiles.TestData(Path.Combine("tlc", "green_tripdata_2021-02.sample.csv.gz"));

    [Theory]
    [InlineData("lightgbm", "LightGBM")]
    [InlineData("fasttree", "FastTree")]
    public async Task Boosted_trees_train_convert_and_report_as_json(string trainer, string producer)
    {
        var folder = Directory.CreateTempSubdirectory("cli-boost-");
        try
        {
            string model = Path.Combine(folder.FullName, "model.json");
            var (exit, stdout, error) = await Run("train", "--trainer", trainer, "--data", Data, "--validate", Validate, "--out", model,
                "--trees", "40", "--leaves", "8", "--learning-rate", "0.2", "--early-stopping", "10", "--run-id", "boost1", "--json");

            Assert.True(exit == 0, error);
            using var summary = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
            JsonElement root = summary.RootElement;
            Assert.Equal(trainer, root.GetProperty("trainer").GetString());
            Assert.Contains(producer, root.GetProperty("producer").GetString(), StringComparison.Ordinal);
            Assert.Equal($"duration-{trainer}", root.GetProperty("name").GetString());
            Assert.Equal("boost1", root.GetProperty("version").GetString());
            Assert.InRange(root.GetProperty("trees").GetInt32(), 1, 40);
            Assert.Equal(40, root.GetProperty("parameters").GetProperty("trees").GetInt32());
            Assert.Equal(8, root.GetProperty("parameters").GetProperty("leaves").GetInt32());
            Assert.Equal(0.2, root.GetProperty("parameters").GetProperty("learning_rate").GetDouble());
            Assert.Equal(10, root.GetProperty("parameters").GetProperty("early_stopping").GetInt32());
            Assert.True(root.GetProperty("seconds").GetDouble() >= root.GetProperty("fit_seconds").GetDouble());

            // What the summary reports is what the written file predicts.
            CompiledModel loaded = CompiledModel.Load(File.ReadAllBytes(model));
            var validation = StreamPredict.Data.Tlc.TlcDataset.ReadFile(Validate);
            Assert.Equal(root.GetProperty("validation_rmse").GetDouble(),
                StreamPredict.Training.Linear.LinearRegressionTrainer.Rmse(loaded, validation.Rows), 5);
            Assert.Equal("tree_ensemble", loaded.Kind);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "--trees", "10" }, "--trees applies to --trainer fasttree or lightgbm, not linear")]
    [InlineData(new[] { "--trainer", "lightgbm", "--early-stopping", "5" }, "--early-stopping needs --validate")]
    public async Task Options_that_do_not_fit_the_trainer_are_refused(string[] extra, string expected)
    {
        var (exit, _, error) = await Run(["train", "--data", Data, "--out", Path.Combine(Path.GetTempPath(), "never-written.json"), .. extra]);

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--trainer", "xgboost" }, "xgboost")]
    [InlineData(new[] { "--trainer", "lightgbm", "--learning-rate", "0" }, "--learning-rate must be a number in (0, 1]")]
    [InlineData(new[] { "--trainer", "lightgbm", "--leaves", "1" }, "--leaves must be at least 2")]
    [InlineData(new[] { "--trainer", "fasttree", "--trees", "0" }, "--trees must be at least 1")]
    public async Task Bad_values_are_usage_errors(string[] extra, string expected)
    {
        var (exit, _, error) = await Run(["train", "--data", Data, "--out", "x.json", .. extra]);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
