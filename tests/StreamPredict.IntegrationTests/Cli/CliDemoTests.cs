using StreamPredict.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace StreamPredict.IntegrationTests.Cli;

/// <summary>The one-command demo, end to end; it starts and stops its own emulators.</summary>
[Collection(Emulators.Collection)]
public sealed class CliDemoTests(EmulatorFixture emulators, ITestOutputHelper output)
{
    [Fact]
    public async Task The_demo_accounts_for_every_record_and_loses_none()
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
    }
}
