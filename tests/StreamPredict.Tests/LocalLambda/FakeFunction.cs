using StreamPredict.Aws.Lambda.Client;
using StreamPredict.LocalLambda;
using StreamPredict.LocalLambda.Runtime;

namespace StreamPredict.Tests.LocalLambda;

/// <summary>An in-memory function instance: answers with <see cref="Behaviour"/> and records how it was used.</summary>
internal sealed class FakeFunction(int number, Func<FakeFunction, ReadOnlyMemory<byte>, CancellationToken, Task<FunctionResult>> behaviour) : ILocalFunction
{
    /// <summary>Which start made it: 1 for the first instance.</summary>
    public int Number { get; } = number;

    public bool HasExited { get; set; }

    public bool Disposed { get; private set; }

    public List<byte[]> Payloads { get; } = [];

    /// <summary>Counts invocations running at once, across every fake that shares it.</summary>
    public Concurrency? SharedConcurrency { get; init; }

    public async Task<FunctionResult> InvokeAsync(ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        lock (Payloads)
        {
            Payloads.Add(payload.ToArray());
        }

        SharedConcurrency?.Enter();
        try
        {
            return await behaviour(this, payload, cancellationToken);
        }
        finally
        {
            SharedConcurrency?.Leave();
        }
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        HasExited = true;
        return ValueTask.CompletedTask;
    }

    public static Task<FunctionResult> Echo(FakeFunction _, ReadOnlyMemory<byte> payload, CancellationToken __)
        => Task.FromResult(new FunctionResult(FunctionResultKind.Response, payload.ToArray(), null, null));

    /// <summary>Never answers: only the deadline (or a stop) ends it, as with a hung function.</summary>
    public static async Task<FunctionResult> Hang(FakeFunction _, ReadOnlyMemory<byte> __, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }

    public static LocalLambdaException InitFailure(string message)
        => new($"The function's init failed (ModelUnavailableException): {message}") { InitError = new LambdaError("ModelUnavailableException", message, ["at Init"]) };

    internal sealed class Concurrency
    {
        private readonly Lock _gate = new();
        private int _now;

        public int Max { get; private set; }

        public void Enter()
        {
            lock (_gate)
            {
                Max = Math.Max(Max, ++_now);
            }
        }

        public void Leave()
        {
            lock (_gate)
            {
                _now--;
            }
        }
    }
}

/// <summary>Starts fakes in order: each start calls <see cref="Next"/> with the start's number (1, 2, …).</summary>
internal sealed class FakeStarts(Func<int, FakeFunction> next)
{
    private int _count;

    public List<FakeFunction> Started { get; } = [];

    public Func<int, FakeFunction> Next { get; } = next;

    public Task<ILocalFunction> StartAsync(CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref _count);
        var function = Next(number);
        lock (Started)
        {
            Started.Add(function);
        }

        return Task.FromResult<ILocalFunction>(function);
    }
}
