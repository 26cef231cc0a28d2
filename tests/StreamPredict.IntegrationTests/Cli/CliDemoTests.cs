using System.Text.Json;
using StreamPredict.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace StreamPredict.IntegrationTests.Cli;

/// <summary>The one-command demo, end to end; it starts and stops its own emulators.</summary>
[Collection(Emulators.Collection)]
public sealed class CliDemoTests(EmulatorFixture emulators, ITestOutputHelper output)
{
    [Fact]
    public async Task The_demo_accounts_for_every_record_and_every_mode_gives_the_same_prediction()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        // No fixture endpoints: the demo must bring its own emulators (or use AWS_ENDPOINT_URL when the shell sets one).
        var cli = new CliHarness(emulators);
        cli.Environment.Clear();

        var run = await cli.RunAsync(timeout.Token, "demo", "--rides", "2000", "--poison", "12", "--json");

        output.WriteLine(run.ToString());
        Assert.True(run.Exit == 0, run.ToString());
        var summary = run.Summary;
        var recordsIn = summary.GetProperty("records_in").GetInt64();
        Assert.Equal(2012, recordsIn);
        Assert.Equal(2000, summary.GetProperty("predictions_out").GetInt64());
        Assert.Equal(12, summary.GetProperty("dead_letters").GetInt64());
        Assert.Equal(recordsIn, summary.GetProperty("predictions_out").GetInt64() + summary.GetProperty("dead_letters").GetInt64()
            + summary.GetProperty("failed_records").GetInt64());
        Assert.Equal(0, summary.GetProperty("lost").GetInt64());
        Assert.True(summary.GetProperty("latency_p99_ms").GetDouble() >= summary.GetProperty("latency_p50_ms").GetDouble());
        if (string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL"))
            && string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_KINESIS")))
        {
            Assert.Contains("emulators stopped", run.Error, StringComparison.Ordinal);
        }

        Assert.Equal(["streaming", "batch", "web"], Strings(summary.GetProperty("modes")));
        Assert.Equal(2012, summary.GetProperty("streaming").GetProperty("records_in").GetInt64());
        Assert.Equal(0, summary.GetProperty("streaming").GetProperty("lost").GetInt64());
        AssertBatchScoredTheSampleMonth(summary);
        Assert.Equal(5, summary.GetProperty("web").GetProperty("rides").GetInt64());
        Assert.StartsWith("http://127.0.0.1:", summary.GetProperty("web").GetProperty("url").GetString(), StringComparison.Ordinal);
        AssertSamePredictions(run, summary, ["streaming", "batch", "web"]);
    }

    [Fact]
    public async Task Batch_and_web_alone_need_no_emulators_and_still_agree()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var cli = new CliHarness(emulators);
        cli.Environment.Clear();
        // Endpoints that answer nothing: a mode that reached for AWS would fail.
        cli.Environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9";

        var run = await cli.RunAsync(timeout.Token, "demo", "--modes", "web,batch", "--rides", "3000", "--json");

        output.WriteLine(run.ToString());
        Assert.True(run.Exit == 0, run.ToString());
        var summary = run.Summary;
        Assert.Equal(["batch", "web"], Strings(summary.GetProperty("modes")));
        Assert.False(summary.TryGetProperty("records_in", out _), "no streaming keys without the streaming mode");
        Assert.False(summary.TryGetProperty("streaming", out _));
        Assert.DoesNotContain("emulators", run.Error, StringComparison.Ordinal);
        Assert.EndsWith("model.json", summary.GetProperty("model").GetString(), StringComparison.Ordinal);
        AssertBatchScoredTheSampleMonth(summary);
        AssertSamePredictions(run, summary, ["batch", "web"]);
    }

    [Fact]
    public async Task One_mode_runs_alone_and_compares_nothing()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var cli = new CliHarness(emulators);
        cli.Environment.Clear();

        var run = await cli.RunAsync(timeout.Token, "demo", "--modes", "batch", "--json");

        output.WriteLine(run.ToString());
        Assert.True(run.Exit == 0, run.ToString());
        Assert.Equal(["batch"], Strings(run.Summary.GetProperty("modes")));
        Assert.False(run.Summary.TryGetProperty("same_prediction", out _));
        Assert.False(run.Summary.TryGetProperty("web", out _));
        Assert.Contains("give --modes two or more modes", run.Error, StringComparison.Ordinal);
    }

    private static void AssertBatchScoredTheSampleMonth(JsonElement summary)
    {
        var batch = summary.GetProperty("batch");
        // The bundled February sample: 12,000 trips, each one accounted for.
        Assert.Equal(12_000, batch.GetProperty("rows_in").GetInt64());
        Assert.Equal(batch.GetProperty("rows_in").GetInt64(),
            batch.GetProperty("scored").GetInt64() + batch.GetProperty("filtered").GetInt64() + batch.GetProperty("rejected").GetInt64());
        Assert.True(batch.GetProperty("conserved").GetBoolean());
    }

    /// <summary>Reads the demo's table itself rather than trusting its verdict: each ride's value, as printed, in every mode.</summary>
    private static void AssertSamePredictions(CliRun run, JsonElement summary, string[] modes)
    {
        var same = summary.GetProperty("same_prediction");
        Assert.True(same.GetProperty("identical").GetBoolean(), run.Error);
        Assert.Equal(modes, Strings(same.GetProperty("modes")));
        var header = run.Error.Split('\n').Single(line => line.StartsWith("ride ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["ride", .. modes, "same"], header);
        var rows = run.Error.Split('\n').Where(line => line.StartsWith("demo-", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, rows.Count);
        Assert.Equal(5, same.GetProperty("rides").GetInt64());
        foreach (var row in rows)
        {
            var cells = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(modes.Length + 2, cells.Length);
            var values = cells[1..^1].Select(cell => double.Parse(cell, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.All(values, value => Assert.Equal(values[0], value));
            Assert.InRange(values[0], 0.5, 120);
            Assert.Equal("yes", cells[^1]);
        }
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(item => item.GetString()!)];
}
