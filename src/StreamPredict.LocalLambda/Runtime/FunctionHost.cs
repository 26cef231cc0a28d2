using System.Diagnostics;
using System.Globalization;
using StreamPredict.Aws.Lambda.Client;

namespace StreamPredict.LocalLambda.Runtime;

/// <summary>
/// The real function executable (`dotnet bootstrap.dll`) wired to a loopback Runtime API, as Lambda runs it: one warm
/// process that takes events from /next one at a time. Invocations are serialised here, like one Lambda instance.
/// </summary>
public sealed class FunctionHost : ILocalFunction
{
    public const string BootstrapFileName = "bootstrap.dll";
    private const int RememberedLines = 30;

    private readonly RuntimeApiEmulator _runtime;
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly Action<string> _onLog;

    private FunctionHost(RuntimeApiEmulator runtime, Process process, Action<string> onLog)
    {
        _runtime = runtime;
        _process = process;
        _onLog = onLog;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The function process's id (shown by start-lambda, so a user can find the process).</summary>
    public int ProcessId => _process.Id;

    /// <summary>bootstrap.dll next to this tool: the CLI references the function project, so the build copies it here.</summary>
    public static string ResolveBootstrap()
    {
        var path = Path.Combine(AppContext.BaseDirectory, BootstrapFileName);
        return File.Exists(path) ? path : throw new LocalLambdaException(
            $"The function executable {BootstrapFileName} is not next to the CLI in '{AppContext.BaseDirectory}'; rebuild src/StreamPredict.Cli (it references the function project).");
    }

    /// <summary>The Lambda environment a `sam local invoke` would set, over <paramref name="environment"/> (the template's variables come from there).</summary>
    public static Dictionary<string, string> LambdaEnvironment(IReadOnlyDictionary<string, string> environment, string runtimeApi, int memoryMb, string functionName)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var variables = new Dictionary<string, string>(environment, StringComparer.Ordinal)
        {
            [RuntimeApiHeaders.RuntimeApiVariable] = runtimeApi,
            ["AWS_LAMBDA_FUNCTION_NAME"] = functionName,
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = memoryMb.ToString(CultureInfo.InvariantCulture),
            ["_HANDLER"] = "bootstrap",
            ["LAMBDA_TASK_ROOT"] = AppContext.BaseDirectory,
        };

        // The function runs in its own folder (Lambda's task root), but a relative MODEL_LOCATION was written relative
        // to the shell the user typed it in.
        var modelLocation = StreamPredict.Serving.Models.ModelLocation.LocationVariable;
        if (variables.TryGetValue(modelLocation, out var location) && location.Length > 0 && !Path.IsPathRooted(location))
        {
            variables[modelLocation] = Path.GetFullPath(location);
        }

        return variables;
    }

    /// <summary>Starts the function and waits for its init: it asks for the first event, posts /init/error, or exits.</summary>
    /// <param name="onLog">Receives each line the function writes (its JSON logs), from a background thread.</param>
    public static async Task<FunctionHost> StartAsync(IReadOnlyDictionary<string, string> environment, Action<string> onLog,
        TimeSpan initTimeout, CancellationToken cancellationToken, int memoryMb = 512, string functionName = "StreamPredictFunction")
    {
        ArgumentNullException.ThrowIfNull(onLog);
        var bootstrap = ResolveBootstrap();
        var runtime = RuntimeApiEmulator.Start();
        var startInfo = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(bootstrap)!,
        };
        startInfo.ArgumentList.Add(bootstrap);
        startInfo.Environment.Clear();
        foreach (var (name, value) in LambdaEnvironment(environment, runtime.HostAndPort, memoryMb, functionName))
        {
            startInfo.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new LocalLambdaException($"Could not start {startInfo.FileName} {bootstrap}.");
        }
        catch
        {
            await runtime.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var host = new FunctionHost(runtime, process, onLog);
        process.OutputDataReceived += (_, line) => host.Log(line.Data);
        process.ErrorDataReceived += (_, line) => host.Log(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var exited = process.WaitForExitAsync(cancellationToken);
            var first = await Task.WhenAny(runtime.InitDone, runtime.InitError, exited, Task.Delay(initTimeout, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (first == runtime.InitError)
            {
                var error = await runtime.InitError.ConfigureAwait(false);
                throw new LocalLambdaException($"The function's init failed ({error.ErrorType}): {error.ErrorMessage}") { InitError = error };
            }

            if (first == exited)
            {
                throw new LocalLambdaException($"The function exited during init with code {process.ExitCode}:{Environment.NewLine}{host.LastLines()}")
                {
                    InitError = new LambdaError("Runtime.ExitError", $"Runtime exited with error: exit status {process.ExitCode}", []),
                };
            }

            if (first != runtime.InitDone)
            {
                throw new LocalLambdaException($"The function did not finish its init within {initTimeout.TotalSeconds:0} s:{Environment.NewLine}{host.LastLines()}")
                {
                    InitError = new LambdaError("Sandbox.Timedout", $"Init timed out after {initTimeout.TotalSeconds:0.00} seconds", []),
                };
            }

            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>One invocation with <paramref name="timeout"/> as the deadline. A crash or timeout leaves the host dead: start a new one.</summary>
    public async Task<FunctionResult> InvokeAsync(ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_process.HasExited)
            {
                return new FunctionResult(FunctionResultKind.Crash, null, null, $"the function process had exited with code {_process.ExitCode}");
            }

            var invocation = _runtime.InvokeAsync(payload, timeout, cancellationToken);
            var exited = _process.WaitForExitAsync(cancellationToken);
            var first = await Task.WhenAny(invocation, exited).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (first == exited && !invocation.IsCompleted)
            {
                return new FunctionResult(FunctionResultKind.Crash, null, null,
                    $"the function process exited with code {_process.ExitCode} mid-invocation:{Environment.NewLine}{LastLines()}");
            }

            try
            {
                var outcome = await invocation.ConfigureAwait(false);
                return outcome.Succeeded
                    ? new FunctionResult(FunctionResultKind.Response, outcome.Response, null, null)
                    : new FunctionResult(FunctionResultKind.Error, null, outcome.Error, outcome.ErrorTypeHeader);
            }
            catch (TimeoutException)
            {
                Kill();
                return new FunctionResult(FunctionResultKind.Timeout, null, null, $"no answer within the {timeout.TotalSeconds:0.#} s timeout");
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public string LastLines()
    {
        lock (_lastLines)
        {
            return string.Join(Environment.NewLine, _lastLines);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Killed and still not reaped: nothing more can be done from here.
        }

        _process.Dispose();
        await _runtime.DisposeAsync().ConfigureAwait(false);
        _oneAtATime.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private void Log(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            while (_lastLines.Count > RememberedLines)
            {
                _lastLines.Dequeue();
            }
        }

        _onLog(line);
    }

    // Run the function the way this CLI itself is run: the dotnet host when it is on hand, else `dotnet` from PATH.
    private static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
    }
}
