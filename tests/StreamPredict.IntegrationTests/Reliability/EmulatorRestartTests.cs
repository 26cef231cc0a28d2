using System.Diagnostics;
using System.Globalization;
using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.Kinesis;
using StreamPredict.IntegrationTests.Cli;
using StreamPredict.IntegrationTests.Faults;
using StreamPredict.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace StreamPredict.IntegrationTests.Reliability;

/// <summary>
/// kinesis-local is killed and started again (with its persisted data) in the middle of `streampredict run`: the runner
/// and the function both lose Kinesis for a while, the runner resumes from its checkpoint, and nothing is lost.
/// </summary>
[Collection(Emulators.Collection)]
public sealed class EmulatorRestartTests(EmulatorFixture emulators, ITestOutputHelper output)
{
    private const int Rides = 3000;

    /// <summary>The function's timeout in this run: its publisher gives up 750 ms before it and reports batchItemFailures.</summary>
    private static readonly TimeSpan FunctionTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Longer than the function's timeout, so a batch in flight cannot be saved by retries alone and the runner must go
    /// back to Kinesis (re-read from the failure, or from its checkpoint) while it is still down.
    /// </summary>
    private static readonly TimeSpan MinimumOutage = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Run_resumes_from_its_checkpoint_after_kinesis_restarts_and_loses_nothing()
    {
        var packages = Path.Combine(emulators.RepositoryRoot, "infra", "emulators", "node_modules", "kinesis-local");
        Assert.True(Directory.Exists(packages), $"{packages} is missing: run infra/emulators/start.sh once (it runs npm ci).");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await using var mock = await PersistentKinesisMock.StartAsync(emulators.RepositoryRoot);
        var region = emulators.Environment.Region;
        var credentials = emulators.Environment.Credentials.GetCredentials();
        var direct = AwsEnvironment.FromEnvironment(name => name switch
        {
            "AWS_ENDPOINT_URL_KINESIS" => mock.Endpoint.ToString(),
            "AWS_REGION" => region,
            "AWS_ACCESS_KEY_ID" => credentials.AccessKey,
            "AWS_SECRET_ACCESS_KEY" => credentials.SecretKey,
            _ => null,
        });
        using var kinesis = new KinesisClient(direct);
        var input = await EmulatorFixture.CreateActiveStreamAsync(kinesis, "restart-in", 2, cancel.Token);
        var predictions = await EmulatorFixture.CreateActiveStreamAsync(kinesis, "restart-out", 2, cancel.Token);
        var rejections = await EmulatorFixture.CreateActiveStreamAsync(kinesis, "restart-dlq", 1, cancel.Token);
        var ledger = new RideLedger();
        await ledger.ProduceAsync(kinesis, input, Rides, "k", poisonEvery: 97, cancel.Token);

        await using var proxy = KinesisFaultProxy.Start(mock.Endpoint, new FaultPlan { Operations = new HashSet<string>() }, credentials, region);
        var cli = new CliHarness(emulators);
        cli.Environment["AWS_ENDPOINT_URL_KINESIS"] = proxy.Endpoint.ToString().TrimEnd('/');
        var scratch = Directory.CreateTempSubdirectory("restart-");
        try
        {
            var checkpoint = Path.Combine(scratch.FullName, "checkpoint.json");
            var failures = Path.Combine(scratch.FullName, "failures.jsonl");
            var run = cli.RunAsync(cancel.Token, "run", "--stream", input, "--batch-size", "100", "--batching-window", "100ms",
                "--max-records", Rides.ToString(CultureInfo.InvariantCulture), "--timeout", $"{FunctionTimeout.TotalSeconds:0}s", "--checkpoint", checkpoint, "--failure-file", failures, "--json",
                "--env", $"MODEL_LOCATION={Path.Combine(emulators.RepositoryRoot, "tests", "StreamPredict.Tests", "TestData", "course-forest.model.json")}",
                "--env", $"PREDICTIONS_STREAM_NAME={predictions}",
                "--env", $"REJECTIONS_STREAM_NAME={rejections}");
            while (!File.Exists(checkpoint) && !run.IsCompleted)
            {
                await Task.Delay(50, cancel.Token);
            }

            await Task.Delay(500, cancel.Token);
            Assert.False(run.IsCompleted, "the run finished before the restart: give it more rides");
            var before = File.ReadAllText(checkpoint);

            // Kinesis goes away: no call reaches it from now; once its last writes are on disk it is killed and restarted.
            var outage = Stopwatch.StartNew();
            await proxy.BeginOutageAsync(TimeSpan.FromSeconds(60));
            await mock.WaitForSnapshotAfterAsync(DateTime.UtcNow, TimeSpan.FromSeconds(60));
            await mock.RestartAsync();
            await Task.Delay(MinimumOutage - outage.Elapsed is { Ticks: > 0 } rest ? rest : TimeSpan.Zero, cancel.Token);
            proxy.EndOutage();
            output.WriteLine($"outage {outage.Elapsed.TotalSeconds:0.0} s");

            var result = await run;
            Assert.True(result.Exit == 0, result.ToString());
            var balance = await ledger.BalanceAsync(kinesis, predictions, rejections, failures, cancel.Token);
            output.WriteLine($"checkpoint at the restart: {before}");
            output.WriteLine($"{balance}; proxy: {proxy.Counters}");
            output.WriteLine($"run summary: {result.Summary}");

            Assert.Equal(2, mock.Starts);
            Assert.True(proxy.Counters.OutageRefusals > 0, proxy.Counters.ToString());
            Assert.True(result.Summary.GetProperty("kinesis_errors_recovered").GetInt64() > 0, result.Summary.ToString());
            Assert.Equal(Rides, result.Summary.GetProperty("records_done").GetInt64());
            Assert.Empty(balance.LostSequences);
            Assert.Empty(balance.LostRideIds);
            Assert.Equal(0, balance.UnknownOutputs);
            Assert.Equal(ledger.Poison, balance.DeadLetters);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
