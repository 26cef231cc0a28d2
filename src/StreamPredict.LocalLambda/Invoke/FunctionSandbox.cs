using System.Diagnostics;
using System.Globalization;
using StreamPredict.Aws.Lambda.Client;
using StreamPredict.LocalLambda.Runtime;

namespace StreamPredict.LocalLambda.Invoke;

/// <summary>
/// One Lambda sandbox: a function instance kept warm between invocations, invoked one at a time (concurrent callers
/// queue, as they do on the RIE), stopped when an invocation outlives the function timeout or the process dies, and
/// replaced by a fresh one. An init failure answers the invocation that needed the init; the next one inits again.
/// </summary>
public sealed class FunctionSandbox : IAsyncDisposable
{
    /// <summary>The RIE's default when AWS_LAMBDA_FUNCTION_TIMEOUT is unset.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(300);

    public const string TimeoutVariable = "AWS_LAMBDA_FUNCTION_TIMEOUT";

    // Lambda's own init limit is 10 s; `dotnet bootstrap.dll` on a busy laptop can need more, and invoke/run allow 60.
    private static readonly TimeSpan InitTimeout = TimeSpan.FromSeconds(60);

    private readonly Func<CancellationToken, Task<ILocalFunction>> _start;
    private readonly Action<string> _log;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task<ILocalFunction>? _instance;

    /// <param name="start">Starts an instance and waits for its init; an init failure throws (a
    /// <see cref="LocalLambdaException"/> with <see cref="LocalLambdaException.InitError"/> from the real host).</param>
    public FunctionSandbox(Func<CancellationToken, Task<ILocalFunction>> start, TimeSpan timeout, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(log);
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The function timeout must be positive.");
        }

        _start = start;
        Timeout = timeout;
        _log = log;
    }

    /// <summary>Each invocation's deadline.</summary>
    public TimeSpan Timeout { get; }

    public SandboxStats Stats { get; } = new();

    /// <summary>The real bootstrap, run with <paramref name="environment"/> (the caller's), timed out after
    /// AWS_LAMBDA_FUNCTION_TIMEOUT seconds from that environment.</summary>
    public static FunctionSandbox ForBootstrap(IReadOnlyDictionary<string, string> environment, int memoryMb, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(log);
        var timeout = ReadTimeout(environment.GetValueOrDefault(TimeoutVariable));
        return new FunctionSandbox(async cancellationToken =>
        {
            var started = Stopwatch.GetTimestamp();
            var host = await FunctionHost.StartAsync(environment, log, InitTimeout, cancellationToken, memoryMb).ConfigureAwait(false);
            log(string.Create(CultureInfo.InvariantCulture,
                $"start-lambda: function ready (pid {host.ProcessId}, init {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms)"));
            return host;
        }, timeout, log);
    }

    /// <summary>AWS_LAMBDA_FUNCTION_TIMEOUT: whole seconds, 1..900 (Lambda's range); unset means the RIE's 300.</summary>
    public static TimeSpan ReadTimeout(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return DefaultTimeout;
        }

        return int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 900
            ? TimeSpan.FromSeconds(seconds)
            : throw new LocalLambdaException($"{TimeoutVariable}='{value}' is not a function timeout: give whole seconds from 1 to 900.");
    }

    /// <summary>Starts the first instance now, so the first invocation finds it warm (its init is logged either way).</summary>
    public void Warm()
    {
        if (_oneAtATime.Wait(0))
        {
            try
            {
                _instance ??= StartInstance();
            }
            finally
            {
                _oneAtATime.Release();
            }
        }
    }

    /// <summary>Invokes the function once, after any invocation already running or queued.</summary>
    public async Task<SandboxOutcome> InvokeAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        await _oneAtATime.WaitAsync(stopping.Token).ConfigureAwait(false);
        try
        {
            Stats.Invocations++;
            var (function, initFailure) = await InstanceAsync(stopping.Token).ConfigureAwait(false);
            return function is null ? initFailure! : await InvokeInstanceAsync(function, payload, stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        // The running invocation sees the stop and returns; then nothing else can touch the instance.
        await _oneAtATime.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        if (_instance is { } instance)
        {
            _instance = null;
            try
            {
                var function = await instance.ConfigureAwait(false);
                await function.DisposeAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A start that failed or was cancelled has nothing left to stop.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        _oneAtATime.Dispose();
        _stop.Dispose();
    }

    private async Task<SandboxOutcome> InvokeInstanceAsync(ILocalFunction function, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        FunctionResult result;
        try
        {
            result = await function.InvokeAsync(payload, Timeout, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            result = new FunctionResult(FunctionResultKind.Timeout, null, null, null);
        }

        switch (result.Kind)
        {
            case FunctionResultKind.Response:
                Stats.Responses++;
                return SandboxOutcome.Responded(result.Response ?? []);
            case FunctionResultKind.Error:
                Stats.FunctionErrors++;
                return SandboxOutcome.Failed(SandboxOutcomeKind.FunctionError,
                    result.Error ?? new LambdaError("Runtime.Unknown", result.Detail ?? "the function posted an error without a body", []));
            case FunctionResultKind.Timeout:
                Stats.Timeouts++;
                await ReplaceAsync(function, $"timed out after {Timeout.TotalSeconds:0} s").ConfigureAwait(false);
                return SandboxOutcome.TimedOut(Timeout);
            default:
                Stats.Crashes++;
                var detail = (result.Detail ?? "the function process exited").Split('\n')[0].TrimEnd();
                await ReplaceAsync(function, "exited mid-invocation").ConfigureAwait(false);
                return SandboxOutcome.Failed(SandboxOutcomeKind.Crash, new LambdaError("Runtime.ExitError", $"Runtime exited with error: {detail}", []));
        }
    }

    /// <summary>The warm instance, started if there is none; or, when its init failed, the outcome that reports it.</summary>
    private async Task<(ILocalFunction? Function, SandboxOutcome? InitFailure)> InstanceAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            _instance ??= StartInstance();
            ILocalFunction function;
            try
            {
                function = await _instance.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Whatever stopped the function from starting is an init failure its caller must hear; the sandbox stays up.
            catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
            {
                _instance = null;
                Stats.InitFailures++;
                var error = (exception as LocalLambdaException)?.InitError ?? new LambdaError("Runtime.Unknown", exception.Message, []);
                return (null, SandboxOutcome.Failed(SandboxOutcomeKind.InitError, error));
            }

            if (!function.HasExited || attempt > 0)
            {
                return (function, null);
            }

            // It died while idle (killed from outside, say): Lambda would give the next invocation a fresh sandbox.
            await ReplaceAsync(function, "had exited while idle").ConfigureAwait(false);
        }
    }

    private async Task ReplaceAsync(ILocalFunction function, string reason)
    {
        _log($"start-lambda: the function {reason}; its process is stopped and a new one starts");
        await function.DisposeAsync().ConfigureAwait(false);
        _instance = StartInstance();
    }

    private Task<ILocalFunction> StartInstance()
    {
        Stats.Starts++;
        var token = _stop.Token;
        var starting = Task.Run(() => _start(token), CancellationToken.None);
        // Say so when the init fails, not only when the next invocation finds out (this also observes the exception).
        _ = starting.ContinueWith(task => _log($"start-lambda: function init failed: {task.Exception!.GetBaseException().Message}"),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return starting;
    }
}
