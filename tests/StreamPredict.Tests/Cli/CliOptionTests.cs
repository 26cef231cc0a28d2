using StreamPredict.Cli.Infrastructure;
using StreamPredict.Tests.Model;
using static StreamPredict.Tests.Cli.CliRun;

namespace StreamPredict.Tests.Cli;

public sealed class CliOptionTests
{
    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("1s", 1)]
    [InlineData("2.5s", 2.5)]
    [InlineData("3m", 180)]
    [InlineData("7", 7)]
    public void Durations_read_as_written(string text, double seconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(seconds, duration.TotalSeconds, 9);
    }

    [Theory]
    [InlineData("")]
    [InlineData("fast")]
    [InlineData("-1s")]
    [InlineData("1h")]
    public void Bad_durations_are_refused(string text) => Assert.False(DurationParser.TryParse(text, out _));

    [Fact]
    public async Task An_unknown_verb_is_a_usage_error()
    {
        var (exit, _, error) = await Run("explode");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("explode", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_batching_window_names_the_value_and_the_accepted_forms()
    {
        var (exit, _, error) = await Run("run", "--batching-window", "soon");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("'soon' is not a duration", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_starting_position_outside_the_two_choices_is_refused()
    {
        var (exit, _, error) = await Run("run", "--starting-position", "middle");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("middle", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_size_over_lambdas_limit_is_refused_before_any_aws_call()
    {
        var (exit, _, error) = await Run("run", "--batch-size", "20000");

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("--batch-size 20000 is out of range", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Required_options_are_named_when_missing()
    {
        var (exit, _, error) = await Run("train", "--out", "x.json");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--data", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_with_the_course_forest_prints_the_course_number_and_json_is_the_last_line()
    {
        var (exit, stdout, _) = await Run("predict", "--model", ModelTestFiles.CourseForestArtifact,
            "--ride", """{"PULocationID":130,"DOLocationID":205,"trip_distance":3.66}""", "--json");

        Assert.Equal(0, exit);
        var last = stdout.TrimEnd().Split('\n')[^1];
        using var summary = System.Text.Json.JsonDocument.Parse(last);
        Assert.Equal(21.294545, summary.RootElement.GetProperty("ride_duration").GetDouble(), 4);
    }

    [Theory]
    [InlineData("""{"PULocationID":0,"DOLocationID":205,"trip_distance":3.66}""", "PULocationID 0")]
    [InlineData("""{"PULocationID":130,"DOLocationID":205,"trip_distance":-1}""", "trip_distance -1 is negative")]
    [InlineData("""{"PULocationID":"130","DOLocationID":205,"trip_distance":1}""", "PULocationID is a string, not an integer")]
    [InlineData("""{"DOLocationID":205,"trip_distance":1}""", "(location_id_missing): PULocationID is missing")]
    [InlineData("""not json""", "--ride is not JSON")]
    [InlineData("""[1]""", "(not_an_object)")]
    public async Task Predict_explains_what_is_wrong_with_a_ride_and_exits_non_zero(string ride, string expected)
    {
        var (exit, stdout, error) = await Run("predict", "--model", ModelTestFiles.CourseForestArtifact, "--ride", ride);

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task Predict_with_a_missing_model_file_names_it()
    {
        var (exit, _, error) = await Run("predict", "--model", "/nowhere/model.json", "--ride", "{}");

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("/nowhere/model.json", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_then_show_then_predict_round_trips_through_files()
    {
        var folder = Directory.CreateTempSubdirectory("cli-train-");
        try
        {
            var model = Path.Combine(folder.FullName, "model.json");
            var data = ModelTestFiles.TestData(Path.Combine("tlc", "green_tripdata_2021-01.sample.csv.gz"));
            var validate = ModelTestFiles.TestData(Path.Combine("tlc", "green_tripdata_2021-02.sample.csv.gz"));

            var train = await Run("train", "--data", data, "--validate", validate, "--out", model, "--run-id", "run42", "--json");
            Assert.Equal(0, train.Exit);
            using var trained = System.Text.Json.JsonDocument.Parse(train.Out.TrimEnd().Split('\n')[^1]);
            Assert.Equal("run42", trained.RootElement.GetProperty("version").GetString());
            Assert.True(trained.RootElement.GetProperty("validation_rmse").GetDouble() > 0);

            var show = await Run("model", "show", model, "--json");
            Assert.Equal(0, show.Exit);
            using var shown = System.Text.Json.JsonDocument.Parse(show.Out.TrimEnd());
            Assert.Equal("verified", shown.RootElement.GetProperty("checksum").GetString());
            Assert.Equal("linear", shown.RootElement.GetProperty("estimator").GetString());
            Assert.True(shown.RootElement.GetProperty("features").GetInt32() > 1);

            var predict = await Run("predict", "--model", model, "--ride", """{"PULocationID":74,"DOLocationID":75,"trip_distance":1.2}""", "--json");
            Assert.Equal(0, predict.Exit);

            File.WriteAllText(model, File.ReadAllText(model).Replace("\"run42\"", "\"run43\"", StringComparison.Ordinal));
            var tampered = await Run("model", "show", model, "--json");
            Assert.Equal(ExitCodes.Failure, tampered.Exit);
            Assert.Contains("\"checksum\":\"MISMATCH\"", tampered.Out, StringComparison.Ordinal);
            Assert.Contains("checksum mismatch", tampered.Error, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
