using System.Text.Json;
using StreamPredict.Cli;

namespace StreamPredict.Tests.Batch;

/// <summary>`streampredict score` in-process: its three forms, the course layout, a backfill with a failing month.</summary>
public sealed class ScoreCommandTests : IDisposable
{
    private static readonly string Model = RepositoryPaths.TestData("course-forest.model.json");
    private readonly string _work = Directory.CreateTempSubdirectory("streampredict-score-cli-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static async Task<(int Exit, string Out, string Error)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.InvokeAsync(args, stdout, stderr, new Dictionary<string, string> { ["MODEL_LOCATION"] = "", ["MODEL_BUCKET"] = "" });
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private string InputRoot()
    {
        var root = Path.Combine(_work, "tlc");
        Directory.CreateDirectory(root);
        return root;
    }

    [Fact]
    public async Task One_file_with_json_prints_every_count()
    {
        var input = Path.Combine(InputRoot(), "green_tripdata_2021-02.parquet");
        await BatchInputs.WriteParquetAsync(input);
        var output = Path.Combine(_work, "out", "preds.parquet");

        var (exit, stdout, stderr) = await Run("score", "--input", input, "--output", output, "--model", Model, "--run-id", "cli-run", "--json");

        Assert.True(exit == 0, stderr);
        using var summary = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        var root = summary.RootElement;
        Assert.Equal(BatchInputs.Rows.Length, root.GetProperty("rows_in").GetInt64());
        Assert.Equal(root.GetProperty("rows_in").GetInt64(),
            root.GetProperty("scored").GetInt64() + root.GetProperty("filtered").GetInt64() + root.GetProperty("rejected").GetInt64());
        Assert.True(root.GetProperty("conserved").GetBoolean());
        Assert.Equal("cli-run", root.GetProperty("model_version").GetString());
        Assert.Equal(2, root.GetProperty("rejected_by_reason").GetProperty("invalid_location_id").GetInt64());
        Assert.True(File.Exists(output));
        Assert.True(File.Exists(Path.Combine(_work, "out", "preds.rejected.parquet")));
    }

    [Fact]
    public async Task The_course_layout_reads_the_TLC_name_and_writes_the_course_partition()
    {
        await BatchInputs.WriteParquetAsync(Path.Combine(InputRoot(), "green_tripdata_2021-02.parquet"));
        var outputRoot = Path.Combine(_work, "predictions");

        var (exit, stdout, stderr) = await Run("score", "--taxi-type", "green", "--year", "2021", "--month", "2",
            "--input-root", InputRoot(), "--output-root", outputRoot, "--model", Model, "--run-id", "r1");

        Assert.True(exit == 0, stderr);
        Assert.Contains("month: 2021-02", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outputRoot, "taxi_type=green", "year=2021", "month=02", "r1.parquet")));
        Assert.True(File.Exists(Path.Combine(outputRoot, "taxi_type=green", "year=2021", "month=02", "r1.rejected.parquet")));
    }

    [Fact]
    public async Task A_backfill_scores_every_month_reports_the_missing_one_and_exits_non_zero()
    {
        foreach (var month in new[] { "2021-01", "2021-02", "2021-04" })
        {
            await BatchInputs.WriteParquetAsync(Path.Combine(InputRoot(), $"green_tripdata_{month}.parquet"));
        }

        var outputRoot = Path.Combine(_work, "predictions");
        var (exit, stdout, stderr) = await Run("score", "--taxi-type", "green", "--from", "2021-01", "--to", "2021-04", "--parallel", "3",
            "--input-root", InputRoot(), "--output-root", outputRoot, "--model", Model, "--run-id", "bf", "--json");

        Assert.Equal(1, exit);
        using var summary = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        Assert.Equal((4, 3, 1), (summary.RootElement.GetProperty("months").GetInt32(), summary.RootElement.GetProperty("succeeded").GetInt32(), summary.RootElement.GetProperty("failed").GetInt32()));
        var march = summary.RootElement.GetProperty("by_month").GetProperty("2021-03");
        Assert.Equal("failed", march.GetProperty("status").GetString());
        Assert.Contains("green_tripdata_2021-03.parquet", march.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("error: 2021-03:", stderr, StringComparison.Ordinal);
        foreach (var month in new[] { "01", "02", "04" })
        {
            Assert.True(File.Exists(Path.Combine(outputRoot, "taxi_type=green", "year=2021", $"month={month}", "bf.parquet")), month);
        }
    }

    [Fact]
    public async Task A_backfill_without_json_prints_a_table_of_months()
    {
        await BatchInputs.WriteParquetAsync(Path.Combine(InputRoot(), "green_tripdata_2021-01.parquet"));

        var (exit, stdout, stderr) = await Run("score", "--taxi-type", "green", "--from", "2021-01", "--to", "2021-01",
            "--input-root", InputRoot(), "--output-root", Path.Combine(_work, "p"), "--model", Model);

        Assert.True(exit == 0, stderr);
        Assert.Contains("2021-01", stdout, StringComparison.Ordinal);
        Assert.Contains("rows_in", stdout, StringComparison.Ordinal);
        Assert.Contains("1/1 ok", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "score", "--input", "x.parquet" }, "--input needs --output")]
    [InlineData(new[] { "score", "--output", "x.parquet" }, "Give --input F --output F to score a file")]
    [InlineData(new[] { "score", "--input-root", "r", "--output-root", "o", "--year", "2021", "--month", "2" }, "needs --taxi-type green or yellow")]
    [InlineData(new[] { "score", "--input-root", "r", "--output-root", "o", "--taxi-type", "green" }, "needs --year and --month")]
    [InlineData(new[] { "score", "--input-root", "r", "--output-root", "o", "--taxi-type", "red", "--year", "2021", "--month", "2" }, "'red' is not green or yellow")]
    [InlineData(new[] { "score", "--input-root", "r", "--output-root", "o", "--taxi-type", "green", "--year", "2021" }, "--year and --month go together")]
    [InlineData(new[] { "score", "--input-root", "r", "--output-root", "o", "--taxi-type", "green", "--from", "2021-13", "--to", "2021-12" }, "--from '2021-13' is not a month")]
    [InlineData(new[] { "score", "--input-root", "r", "--output-root", "o", "--taxi-type", "green", "--from", "2021-05" }, "needs both --from and --to")]
    [InlineData(new[] { "score", "--input-root", "r", "--output-root", "o", "--output", "x.parquet", "--taxi-type", "green", "--year", "2021", "--month", "2" }, "not both")]
    [InlineData(new[] { "score", "--input", "in.parquet", "--output", "o.parquet", "--from", "2021-01", "--to", "2021-02" }, "--input scores one file")]
    public async Task Mixed_up_options_are_refused_with_what_to_give(string[] args, string expected)
    {
        var (exit, _, stderr) = await Run([.. args, "--model", Model]);

        Assert.Equal(1, exit);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_model_the_function_variables_are_asked_for()
    {
        var (exit, _, stderr) = await Run("score", "--input", "x.parquet", "--output", "y.parquet");

        Assert.Equal(1, exit);
        Assert.Contains("MODEL_BUCKET is not set", stderr, StringComparison.Ordinal);
    }
}
