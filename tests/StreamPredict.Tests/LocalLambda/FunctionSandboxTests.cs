using System.Text;
using StreamPredict.Aws.Lambda.Client;
using StreamPredict.LocalLambda;
using StreamPredict.LocalLambda.Invoke;
using StreamPredict.LocalLambda.Runtime;

namespace StreamPredict.Tests.LocalLambda;

public sealed class FunctionSandboxTests
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(300);
    private readonly List<string> _log = [];

    private FunctionSandbox Sandbox(FakeStarts starts, TimeSpan? timeout = null)
        => new(starts.StartAsync, timeout ?? TimeSpan.FromSeconds(30), line => { lock (_log) { _log.Add(line); } });

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Concurrent_invocations_run_one_at_a_time_on_one_warm_instance_and_each_gets_its_own_answer()
    {
        var concurrency = new FakeFunction.Concurrency();
        var starts = new FakeStarts(n => new FakeFunction(n, async (_, payload, cancellationToken) =>
        {
            await Task.Delay(15, cancellationToken);
            return new FunctionResult(FunctionResultKind.Response, payload.ToArray(), null, null);
        }) { SharedConcurrency = concurrency });
        await using var sandbox = Sandbox(starts);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => sandbox.InvokeAsync(Bytes($"event {i}"), CancellationToken.None))));

        Assert.Equal(1, concurrency.Max);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"event {i}"), outcomes.Select(o => Encoding.UTF8.GetString(o.Response!)));
        Assert.Single(starts.Started);
        Assert.Equal((8, 8, 1), (sandbox.Stats.Invocations, sandbox.Stats.Responses, sandbox.Stats.Starts));
    }

    [Fact]
    public async Task A_function_error_is_reported_and_the_instance_stays_warm()
    {
        var error = new LambdaError("InvalidEvent", "the event is not a Kinesis event", ["at Decode"]);
        var starts = new FakeStarts(n => new FakeFunction(n, (_, payload, _) => Task.FromResult(payload.Span[0] == (byte)'!'
            ? new FunctionResult(FunctionResultKind.Error, null, error, null)
            : new FunctionResult(FunctionResultKind.Response, payload.ToArray(), null, null))));
        await using var sandbox = Sandbox(starts);

        var failed = await sandbox.InvokeAsync(Bytes("!"), CancellationToken.None);
        var next = await sandbox.InvokeAsync(Bytes("ok"), CancellationToken.None);

        Assert.Equal(SandboxOutcomeKind.FunctionError, failed.Kind);
        Assert.Equal(error, failed.Error);
        Assert.Equal(SandboxOutcomeKind.Response, next.Kind);
        Assert.Single(starts.Started);
        Assert.False(starts.Started[0].Disposed);
    }

    [Fact]
    public async Task A_timed_out_invocation_stops_the_instance_and_the_next_one_runs_on_a_fresh_instance()
    {
        // The first instance hangs; the second answers.
        var starts = new FakeStarts(n => new FakeFunction(n, n == 1 ? FakeFunction.Hang : FakeFunction.Echo));
        await using var sandbox = Sandbox(starts, ShortTimeout);

        var timedOut = await sandbox.InvokeAsync(Bytes("first"), CancellationToken.None);
        var next = await sandbox.InvokeAsync(Bytes("second"), CancellationToken.None);

        Assert.Equal(SandboxOutcomeKind.Timeout, timedOut.Kind);
        Assert.Equal("Sandbox.Timedout", timedOut.Error!.ErrorType);
        Assert.Equal("Task timed out after 0.30 seconds", timedOut.Error.ErrorMessage);
        Assert.True(starts.Started[0].Disposed, "the hung instance is stopped");
        Assert.Equal("second", Encoding.UTF8.GetString(next.Response!));
        Assert.Equal(2, starts.Started.Count);
        Assert.Contains(_log, line => line.Contains("timed out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_init_failure_answers_the_invocation_that_needed_it_and_the_next_invocation_inits_again()
    {
        var starts = new FakeStarts(n => n == 1 ? throw FakeFunction.InitFailure("no model file at '/nowhere/model.json'") : new FakeFunction(n, FakeFunction.Echo));
        await using var sandbox = Sandbox(starts);

        var failed = await sandbox.InvokeAsync(Bytes("first"), CancellationToken.None);
        var next = await sandbox.InvokeAsync(Bytes("second"), CancellationToken.None);

        Assert.Equal(SandboxOutcomeKind.InitError, failed.Kind);
        Assert.Equal("ModelUnavailableException", failed.Error!.ErrorType);
        Assert.Contains("/nowhere/model.json", failed.Error.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(SandboxOutcomeKind.Response, next.Kind);
        Assert.Equal((1, 2), (sandbox.Stats.InitFailures, sandbox.Stats.Starts));
        Assert.Contains(_log, line => line.Contains("init failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failure_to_start_at_all_is_an_init_failure_that_names_the_cause()
    {
        var starts = new FakeStarts(_ => throw new LocalLambdaException("The function executable bootstrap.dll is not next to the CLI"));
        await using var sandbox = Sandbox(starts);

        var failed = await sandbox.InvokeAsync(Bytes("{}"), CancellationToken.None);

        Assert.Equal(SandboxOutcomeKind.InitError, failed.Kind);
        Assert.Equal("Runtime.Unknown", failed.Error!.ErrorType);
        Assert.Contains("bootstrap.dll", failed.Error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crash_mid_invocation_is_a_Runtime_ExitError_and_a_fresh_instance_takes_the_next_invocation()
    {
        var starts = new FakeStarts(n => new FakeFunction(n, n == 1
            ? (self, _, _) => { self.HasExited = true; return Task.FromResult(new FunctionResult(FunctionResultKind.Crash, null, null, "the function process exited with code 139 mid-invocation:\nlast line")); }
            : FakeFunction.Echo));
        await using var sandbox = Sandbox(starts);

        var crashed = await sandbox.InvokeAsync(Bytes("first"), CancellationToken.None);
        var next = await sandbox.InvokeAsync(Bytes("second"), CancellationToken.None);

        Assert.Equal(SandboxOutcomeKind.Crash, crashed.Kind);
        Assert.Equal("Runtime.ExitError", crashed.Error!.ErrorType);
        Assert.Equal("Runtime exited with error: the function process exited with code 139 mid-invocation:", crashed.Error.ErrorMessage);
        Assert.Equal("second", Encoding.UTF8.GetString(next.Response!));
        Assert.Equal((1, 2), (sandbox.Stats.Crashes, sandbox.Stats.Starts));
    }

    [Fact]
    public async Task An_instance_that_died_while_idle_is_replaced_before_the_next_invocation()
    {
        var starts = new FakeStarts(n => new FakeFunction(n, FakeFunction.Echo));
        await using var sandbox = Sandbox(starts);
        sandbox.Warm();
        Assert.Equal(SandboxOutcomeKind.Response, (await sandbox.InvokeAsync(Bytes("a"), CancellationToken.None)).Kind);

        starts.Started[0].HasExited = true;
        var outcome = await sandbox.InvokeAsync(Bytes("b"), CancellationToken.None);

        Assert.Equal("b", Encoding.UTF8.GetString(outcome.Response!));
        Assert.Equal(2, starts.Started.Count);
        Assert.Equal(["a"], starts.Started[0].Payloads.Select(Encoding.UTF8.GetString));
    }

    [Fact]
    public async Task Disposing_stops_the_warm_instance()
    {
        var starts = new FakeStarts(n => new FakeFunction(n, FakeFunction.Echo));
        var sandbox = Sandbox(starts);
        await sandbox.InvokeAsync(Bytes("a"), CancellationToken.None);

        await sandbox.DisposeAsync();

        Assert.True(starts.Started[0].Disposed);
    }

    [Theory]
    [InlineData(null, 300)]
    [InlineData("", 300)]
    [InlineData("3", 3)]
    [InlineData(" 900 ", 900)]
    public void AWS_LAMBDA_FUNCTION_TIMEOUT_is_whole_seconds_and_defaults_to_the_RIE_s_300(string? value, int seconds)
        => Assert.Equal(TimeSpan.FromSeconds(seconds), FunctionSandbox.ReadTimeout(value));

    [Theory]
    [InlineData("0")]
    [InlineData("901")]
    [InlineData("1.5")]
    [InlineData("-3")]
    [InlineData("3s")]
    public void A_bad_AWS_LAMBDA_FUNCTION_TIMEOUT_is_refused_naming_the_variable_and_the_value(string value)
    {
        var error = Assert.Throws<LocalLambdaException>(() => FunctionSandbox.ReadTimeout(value));
        Assert.Contains($"AWS_LAMBDA_FUNCTION_TIMEOUT='{value}'", error.Message, StringComparison.Ordinal);
    }
}
