using System.Text.Json;
using StreamPredict.IntegrationTests.Cli;
using StreamPredict.IntegrationTests.Infrastructure;

namespace StreamPredict.IntegrationTests.Bench;

/// <summary>`streampredict bench …` run briefly: the JSON summaries have their shape and their counts add up (no timing is asserted).</summary>
[Collection(Emulators.Collection)]
public sealed class BenchCommandTests(EmulatorFixture emulators)
{
    private readonly CliHarness _cli = new(emulators);

    [Fact]
    public async Task Bench_handler_reports_throughput_allocation_and_peak_rss_for_every_record()
    {
        var run = await _cli.RunAsync(EmulatorFixture.TestTimeout(), "bench", "handler", "--model", _cli.CourseForest, "--records", "300", "--rounds", "2", "--json");

        Assert.True(run.Exit == 0, run.ToString());
        var summary = run.Summary;
        Assert.Equal(300, summary.GetProperty("records").GetInt32());
        Assert.Equal(300, summary.GetProperty("predictions").GetInt32());
        Assert.Equal(2, summary.GetProperty("rounds").GetInt32());
        var median = summary.GetProperty("records_per_second_median").GetDouble();
        Assert.InRange(median, summary.GetProperty("records_per_second_min").GetDouble(), summary.GetProperty("records_per_second_max").GetDouble());
        Assert.True(median > 0);
        Assert.True(summary.GetProperty("records_per_cpu_second_median").GetDouble() > 0);
        Assert.InRange(summary.GetProperty("bytes_allocated_per_record").GetDouble(), 0, 100_000);
        Assert.True(summary.GetProperty("peak_rss_mb").GetDouble() > 1);
    }

    [Fact]
    public async Task Bench_batch_reports_median_wall_and_cpu_time_of_whole_score_processes()
    {
        var work = Directory.CreateTempSubdirectory("streampredict-bench-batch-test-");
        try
        {
            // A real `streampredict` process: bench batch starts `score` children as its own executable, which in-process
            // (under the test host) it is not.
            var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[]
            {
                Path.Combine(AppContext.BaseDirectory, "StreamPredict.Cli.dll"), "bench", "batch", "--source", _cli.RidesSample, "--rows", "20000",
                "--row-group-rows", "8192", "--runs", "3", "--model", _cli.CourseForest, "--work", work.FullName, "--json",
            })
            {
                start.ArgumentList.Add(argument);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            using var process = System.Diagnostics.Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var run = new CliRun(process.ExitCode, await stdout, await stderr);

            Assert.True(run.Exit == 0, run.ToString());
            var forest = run.Summary.GetProperty("runs").GetProperty("course-forest_20000");
            Assert.Equal(20000, forest.GetProperty("rows_in").GetInt64());
            var cpu = forest.GetProperty("process_cpu_seconds").GetDouble();
            Assert.True(cpu > 0, forest.ToString());
            // The summary prints six decimals, so the derived figures are compared to within a part in ten thousand.
            AssertClose(20000 / cpu, forest.GetProperty("rows_per_cpu_second").GetDouble());
            AssertClose(cpu * 1e6 / 20000, forest.GetProperty("cpu_microseconds_per_row").GetDouble());
            AssertClose(20000 / forest.GetProperty("process_seconds").GetDouble(), forest.GetProperty("process_rows_per_second").GetDouble());
            Assert.Contains("medians of 3", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static void AssertClose(double expected, double actual) => Assert.InRange(actual, expected * 0.9999, expected * 1.0001);

    [Fact]
    public async Task Bench_handler_refuses_a_record_count_out_of_range()
    {
        var run = await _cli.RunAsync(EmulatorFixture.TestTimeout(), "bench", "handler", "--model", _cli.CourseForest, "--records", "0");

        Assert.Equal(1, run.Exit);
        Assert.Contains("--records must be 1..100000, got 0", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_coldstart_with_two_runs_times_init_and_first_response_and_sizes_the_package()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10)); // includes a dotnet publish on a shared box
        var cache = Directory.CreateTempSubdirectory("streampredict-bench-test-");
        try
        {
            var run = await _cli.RunAsync(timeout.Token, "bench", "coldstart", "--runs", "2", "--config", "framework", "--cache", cache.FullName,
                "--model", _cli.CourseForest, "--json");

            Assert.True(run.Exit == 0, run.ToString());
            var summary = run.Summary;
            Assert.Equal(2, summary.GetProperty("runs").GetInt32());
            var framework = summary.GetProperty("framework");
            var init = framework.GetProperty("init_done_ms_median").GetDouble();
            Assert.True(init > 0);
            Assert.True(framework.GetProperty("init_done_ms_p90").GetDouble() >= init);
            Assert.True(framework.GetProperty("first_response_ms_median").GetDouble() >= init);
            Assert.True(framework.GetProperty("first_response_ms_p90").GetDouble() >= framework.GetProperty("first_response_ms_median").GetDouble());
            Assert.True(framework.GetProperty("peak_rss_mb_after_10k_batch").GetDouble() > 1);
            Assert.InRange(framework.GetProperty("first_publish_ms_median").GetDouble(), 0.001, framework.GetProperty("first_response_ms_median").GetDouble());
            Assert.True(framework.GetProperty("batch_10k_ms").GetDouble() > 0);
            var zip = framework.GetProperty("zip_bytes").GetInt64();
            Assert.InRange(zip, 1, framework.GetProperty("unpacked_bytes").GetInt64());
            Assert.Equal(0, framework.GetProperty("trim_warnings").GetInt32());
            Assert.True(File.Exists(Path.Combine(cache.FullName, "framework", "bootstrap")));
        }
        finally
        {
            cache.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Bench_e2e_gets_every_prediction_with_one_PutRecords_call_per_500()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var run = await _cli.RunAsync(timeout.Token, "bench", "e2e", "--records", "1234", "--batch-size", "1234", "--model", _cli.CourseForest, "--json");

        Assert.True(run.Exit == 0, run.ToString());
        var summary = run.Summary;
        Assert.Equal(1234, summary.GetProperty("records").GetInt32());
        Assert.Equal(1234, summary.GetProperty("predictions_read").GetInt32());
        Assert.Equal(summary.GetProperty("function_put_records_calls_expected").GetInt64(), summary.GetProperty("function_put_records_calls").GetInt64());
        Assert.Equal(0, summary.GetProperty("retried_entries").GetInt64());
        Assert.True(summary.GetProperty("latency_ms_p99").GetDouble() >= summary.GetProperty("latency_ms_p50").GetDouble());
        Assert.True(summary.GetProperty("records_per_second").GetDouble() > 0);
    }

    [Fact]
    public async Task Bench_publish_compares_one_call_at_a_time_with_concurrent_calls_against_the_stand_in()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var run = await _cli.RunAsync(timeout.Token, "bench", "publish", "--records", "2000", "--rounds", "2", "--latency", "20ms", "--concurrency", "1,8",
            "--model", _cli.CourseForest, "--json");

        Assert.True(run.Exit == 0, run.ToString());
        var sequential = run.Summary.GetProperty("concurrency_1");
        var concurrent = run.Summary.GetProperty("concurrency_8");
        Assert.Equal(4, sequential.GetProperty("put_records_calls_per_invocation").GetDouble());
        Assert.Equal(4, concurrent.GetProperty("put_records_calls_per_invocation").GetDouble());
        Assert.Equal(1, sequential.GetProperty("max_calls_in_flight").GetInt32());
        Assert.Equal(4, concurrent.GetProperty("max_calls_in_flight").GetInt32());
        Assert.True(concurrent.GetProperty("gb_seconds_per_million_predictions").GetDouble() > 0);
        Assert.True(concurrent.GetProperty("publish_ms_p90").GetDouble() >= concurrent.GetProperty("publish_ms_median").GetDouble());
    }

    [Fact]
    public async Task Bench_publish_refuses_a_concurrency_out_of_range()
    {
        var run = await _cli.RunAsync(EmulatorFixture.TestTimeout(), "bench", "publish", "--concurrency", "1,0");

        Assert.Equal(1, run.Exit);
        Assert.Contains("--concurrency: '0' is not a whole number from 1 to 64", run.Error, StringComparison.Ordinal);
    }
}
