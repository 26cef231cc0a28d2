using System.Buffers;
using System.Text;
using StreamPredict.Aws.Lambda.Bootstrap;
using StreamPredict.Aws.Lambda.Client;
using StreamPredict.Aws.Lambda.Context;
using StreamPredict.LocalLambda.Runtime;

namespace StreamPredict.Tests.Functions;

/// <summary>The Runtime API client and bootstrap loop against the loopback Runtime API emulator.</summary>
public sealed class LambdaRuntimeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private sealed class ScriptedHandler(Func<string, ILambdaContext, string> answer) : ILambdaHandler
    {
        public List<(string RequestId, string? TraceVariable, string Arn, TimeSpan Remaining)> Seen { get; } = [];

        public ValueTask HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, IBufferWriter<byte> response, CancellationToken cancellationToken)
        {
            Seen.Add((context.AwsRequestId, Environment.GetEnvironmentVariable(RuntimeApiHeaders.TraceIdVariable), context.InvokedFunctionArn, context.RemainingTime));
            response.Write(Encoding.UTF8.GetBytes(answer(Encoding.UTF8.GetString(payload.Span), context)));
            return ValueTask.CompletedTask;
        }
    }

    private static async Task<(T Result, int ExitCode)> RunAsync<T>(ILambdaHandler handler, Func<RuntimeApiEmulator, Task<T>> drive, Func<CancellationToken, Task<ILambdaHandler>>? init = null)
    {
        await using var emulator = RuntimeApiEmulator.Start();
        using var client = new RuntimeApiClient(emulator.HostAndPort);
        using var stop = new CancellationTokenSource();
        var loop = new LambdaBootstrap(client, _ => { }).RunAsync(init ?? (_ => Task.FromResult(handler)), stop.Token);
        var result = await drive(emulator).WaitAsync(Timeout);
        await stop.CancelAsync();
        return (result, await loop.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Each_invocation_gets_its_context_and_its_response_is_posted()
    {
        var handler = new ScriptedHandler((payload, context) => $"{{\"echo\":{payload},\"id\":\"{context.AwsRequestId}\"}}");
        var (outcomes, exitCode) = await RunAsync(handler, async emulator => new[]
        {
            await emulator.InvokeAsync("""{"n":1}"""u8.ToArray(), TimeSpan.FromSeconds(20)),
            await emulator.InvokeAsync("""{"n":2}"""u8.ToArray(), TimeSpan.FromSeconds(20)),
        });

        Assert.Equal(0, exitCode);
        Assert.All(outcomes, o => Assert.True(o.Succeeded));
        Assert.Equal($"{{\"echo\":{{\"n\":2}},\"id\":\"{outcomes[1].RequestId}\"}}", Encoding.UTF8.GetString(outcomes[1].Response!));
        Assert.Equal(outcomes.Select(o => o.RequestId), handler.Seen.Select(s => s.RequestId));
        Assert.All(handler.Seen, s => Assert.StartsWith("Root=1-", s.TraceVariable, StringComparison.Ordinal));
        Assert.All(handler.Seen, s => Assert.StartsWith("arn:aws:lambda:", s.Arn, StringComparison.Ordinal));
        Assert.All(handler.Seen, s => Assert.InRange(s.Remaining, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(21)));
    }

    [Fact]
    public async Task A_handler_failure_is_posted_as_an_invocation_error_and_the_loop_goes_on()
    {
        var calls = 0;
        var handler = new ScriptedHandler((_, _) => ++calls == 1 ? throw new LambdaFunctionException("InvalidEvent", "not a Kinesis event") : "{}");
        var (outcomes, _) = await RunAsync(handler, async emulator => new[]
        {
            await emulator.InvokeAsync("[]"u8.ToArray(), TimeSpan.FromSeconds(20)),
            await emulator.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(20)),
        });

        var error = outcomes[0].Error!;
        Assert.Equal("InvalidEvent", error.ErrorType);
        Assert.Equal("not a Kinesis event", error.ErrorMessage);
        Assert.NotEmpty(error.StackTrace);
        Assert.Equal("InvalidEvent", outcomes[0].ErrorTypeHeader);
        Assert.True(outcomes[1].Succeeded);
    }

    [Fact]
    public async Task An_init_failure_is_posted_to_init_error_and_the_exit_code_is_not_zero()
    {
        var (error, exitCode) = await RunAsync<LambdaError>(
            new ScriptedHandler((_, _) => "{}"),
            emulator => emulator.InitError,
            _ => throw new InvalidOperationException("MODEL_BUCKET is not set"));

        Assert.Equal(1, exitCode);
        Assert.Equal("InvalidOperationException", error.ErrorType);
        Assert.Equal("MODEL_BUCKET is not set", error.ErrorMessage);
    }

    [Fact]
    public async Task The_loop_exits_when_the_Runtime_API_goes_away()
    {
        var emulator = RuntimeApiEmulator.Start();
        using var client = new RuntimeApiClient(emulator.HostAndPort);
        await emulator.DisposeAsync();
        var exitCode = await new LambdaBootstrap(client, _ => { }).RunAsync(_ => Task.FromResult<ILambdaHandler>(new ScriptedHandler((_, _) => "{}")), CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(2, exitCode);
    }

    [Fact]
    public void Error_bodies_round_trip_in_the_documented_shape()
    {
        var error = new LambdaError("InvalidEvent", "bad \"event\"", ["at A", "at B"]);
        var json = Encoding.UTF8.GetString(error.ToUtf8Json());
        Assert.Equal("""{"errorMessage":"bad \u0022event\u0022","errorType":"InvalidEvent","stackTrace":["at A","at B"]}""", json);
        Assert.Equal(error.StackTrace, LambdaError.Parse(error.ToUtf8Json()).StackTrace);
        Assert.Equal(error.ErrorMessage, LambdaError.Parse(error.ToUtf8Json()).ErrorMessage);
    }

    [Theory]
    [InlineData("")]
    [InlineData("http://127.0.0.1:9001/")]
    public void A_bad_AWS_LAMBDA_RUNTIME_API_is_named(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => new RuntimeApiClient(value));
        Assert.Contains("AWS_LAMBDA_RUNTIME_API", error.Message, StringComparison.Ordinal);
    }
}
