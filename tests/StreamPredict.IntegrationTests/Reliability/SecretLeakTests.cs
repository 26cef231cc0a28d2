using StreamPredict.IntegrationTests.Cli;
using StreamPredict.IntegrationTests.Faults;
using StreamPredict.IntegrationTests.Functions;
using StreamPredict.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace StreamPredict.IntegrationTests.Reliability;

/// <summary>
/// Distinctive fake credentials go into the real function process and the CLI; no output of either (logs, init errors,
/// invocation errors, summaries, the function log file) may contain any of them, on the good path or the error paths.
/// </summary>
[Collection(Emulators.Collection)]
public sealed class SecretLeakTests(EmulatorFixture emulators, ITestOutputHelper output)
{
    private const string AccessKey = "AKIALEAKCANARY7Q2Z9X";
    private const string SecretKey = "leakCanarySecret/9f8e7d6c5b4a39281706+ZZtop";
    private const string SessionToken = "leakCanarySessionToken-IQoJb3JpZ2luX2VjEJr-0123456789abcdef";

    private static readonly Dictionary<string, string> Secrets = new(StringComparer.Ordinal)
    {
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
        ["AWS_SESSION_TOKEN"] = SessionToken,
    };

    private static void AssertNoSecret(string where, IEnumerable<string> texts)
    {
        var all = string.Join('\n', texts);
        Assert.False(string.IsNullOrWhiteSpace(all), $"{where}: nothing was captured, so nothing was checked");
        // The secret's distinctive middle too, in case something prints it cut or escaped ("/" as "\/", "+" as "\u002B").
        foreach (var secret in new[] { AccessKey, SecretKey, SessionToken, "leakCanarySecret", "9f8e7d6c5b4a39281706", "leakCanarySessionToken", "LEAKCANARY" })
        {
            Assert.False(all.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{where} contains the secret '{secret}':\n{all}");
        }
    }

    [Fact]
    public async Task The_function_never_logs_credentials_on_the_good_path_poison_and_Kinesis_errors()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var rig = new ReliabilityRig(emulators);
        await rig.CreateStreamsAsync(cancel.Token);
        var proxy = rig.StartProxy(new FaultPlan { ThrottledEntryShare = 0.3, ServerErrorShare = 0.3 });
        var function = rig.StartFunction(proxy, Secrets);

        var poison = await function.Runtime.InvokeAsync(await File.ReadAllBytesAsync(rig.RepoFile("events", "poison-mixed.json"), cancel.Token), TimeSpan.FromSeconds(60), cancel.Token);
        var invalid = await function.Runtime.InvokeAsync(await File.ReadAllBytesAsync(rig.RepoFile("events", "bad", "not-a-kinesis-event.json"), cancel.Token), TimeSpan.FromSeconds(60), cancel.Token);
        await function.WaitForOutputAsync(l => l.Contains("\"_aws\"", StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        Assert.True(poison.Succeeded);
        Assert.NotNull(invalid.Error);
        // The fake credentials really were in use: they signed the calls the proxy saw.
        Assert.Contains($"Credential={AccessKey}/", proxy.LastCredentials.Authorization, StringComparison.Ordinal);
        Assert.Equal(SessionToken, proxy.LastCredentials.SecurityToken);
        Assert.Contains(function.Output, l => l.Contains("PutRecords call failed", StringComparison.Ordinal) || l.Contains("record rejected", StringComparison.Ordinal));
        AssertNoSecret("function output", [.. function.Output, invalid.Error!.ErrorMessage, System.Text.Encoding.UTF8.GetString(poison.Response ?? [])]);
        output.WriteLine($"{function.Output.Count} output lines scanned; proxy: {proxy.Counters}");
    }

    [Fact]
    public async Task A_publish_to_a_missing_stream_logs_no_credentials()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var rig = new ReliabilityRig(emulators);
        await rig.CreateStreamsAsync(cancel.Token);
        var proxy = rig.StartProxy(new FaultPlan());
        var function = rig.StartFunction(proxy, new Dictionary<string, string>(Secrets) { ["PREDICTIONS_STREAM_NAME"] = "no-such-stream-for-leak-test" });

        var outcome = await function.Runtime.InvokeAsync(ReliabilityRig.Rides(20, "s"), TimeSpan.FromSeconds(30), cancel.Token);

        Assert.True(outcome.Succeeded);
        await function.WaitForOutputAsync(l => l.Contains("\"_aws\"", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        // A missing stream is a permanent error: one ERROR line names the stream and Kinesis' message.
        Assert.Contains(function.Output, l => l.Contains("no-such-stream-for-leak-test", StringComparison.Ordinal) && l.Contains("\"level\":\"ERROR\"", StringComparison.Ordinal));
        AssertNoSecret("function output", [.. function.Output, System.Text.Encoding.UTF8.GetString(outcome.Response ?? [])]);
    }

    [Fact]
    public async Task An_S3_refusal_at_init_puts_no_credentials_in_the_init_error_or_the_log()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var s3 = emulators.CreateObjectStore();
        var bucket = EmulatorFixture.UniqueName("leak");
        await s3.EnsureBucketAsync(bucket, cancel.Token);
        await using var function = FunctionProcess.Start(emulators, new Dictionary<string, string>(Secrets) { ["MODEL_BUCKET"] = bucket, ["RUN_ID"] = "leak-run" });

        var error = await function.Runtime.InitError.WaitAsync(TimeSpan.FromSeconds(60), cancel.Token);
        await function.WaitForExitAsync(TimeSpan.FromSeconds(30));

        output.WriteLine(error.ErrorMessage);
        Assert.Contains(bucket, error.ErrorMessage, StringComparison.Ordinal);
        AssertNoSecret("init error and function output", [error.ErrorMessage, error.ErrorType, .. error.StackTrace ?? [], .. function.Output]);
    }

    [Fact]
    public async Task The_CLI_prints_no_credentials_from_invoke_or_run_or_their_function_logs()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var rig = new ReliabilityRig(emulators);
        await rig.CreateStreamsAsync(cancel.Token);
        var input = await EmulatorFixture.CreateActiveStreamAsync(rig.Kinesis, "leak-in", 1, cancel.Token);
        await new RideLedger().ProduceAsync(rig.Kinesis, input, 50, "leak", poisonEvery: 10, cancel.Token);
        var proxy = rig.StartProxy(new FaultPlan { ThrottledEntryShare = 0.2 });
        var cli = new CliHarness(emulators);
        foreach (var (name, value) in Secrets)
        {
            // The CLI's own calls and (through its environment) the function's use the fake credentials.
            cli.Environment[name] = value;
        }

        var functionLog = Path.GetTempFileName();
        try
        {
            string[] env = ["--env", $"AWS_ENDPOINT_URL_KINESIS={proxy.Endpoint.ToString().TrimEnd('/')}", "--env", $"PREDICTIONS_STREAM_NAME={rig.Predictions}",
                "--env", $"REJECTIONS_STREAM_NAME={rig.Rejections}"];
            var run = await cli.RunAsync(cancel.Token, ["run", "--stream", input, "--max-records", "50", "--batching-window", "100ms", "--function-log", functionLog, "--json",
                "--env", $"MODEL_LOCATION={rig.CourseForest}", .. env]);
            Assert.True(run.Exit == 0, run.ToString());
            Assert.Contains($"Credential={AccessKey}/", proxy.LastCredentials.Authorization, StringComparison.Ordinal);

            // The init-error path through the CLI: the S3 emulator refuses the fake key.
            var invoke = await cli.RunAsync(cancel.Token, ["invoke", "-e", rig.RepoFile("events", "course-ride.json"), "--env", "MODEL_BUCKET=leak-no-bucket", "--env", "RUN_ID=r1", .. env]);
            Assert.NotEqual(0, invoke.Exit);

            AssertNoSecret("CLI output and the function log", [run.Out, run.Error, invoke.Out, invoke.Error, await File.ReadAllTextAsync(functionLog, cancel.Token)]);
            output.WriteLine(invoke.Error);
        }
        finally
        {
            File.Delete(functionLog);
        }
    }
}
