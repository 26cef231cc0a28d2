using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using StreamPredict.LocalLambda.Runtime;
using StreamPredict.IntegrationTests.Infrastructure;

namespace StreamPredict.IntegrationTests.Functions;

/// <summary>
/// The BUILT function (src/StreamPredict.Function/bin/{Configuration}/net10.0/bootstrap.dll) run with `dotnet`
/// against a loopback Runtime API emulator and the emulators' endpoints. Disposing kills the process.
/// </summary>
internal sealed class FunctionProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private FunctionProcess(RuntimeApiEmulator runtime, Process process)
    {
        Runtime = runtime;
        _process = process;
    }

    public RuntimeApiEmulator Runtime { get; }

    public IReadOnlyCollection<string> Output => _output;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The streaming function's project; the batch function (StreamPredict.BatchFunction) is run the same way.</summary>
    public const string StreamingProject = "StreamPredict.Function";

    public static string BootstrapPath(string repositoryRoot, string project = StreamingProject)
    {
        var configuration = typeof(FunctionProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var path = Path.Combine(repositoryRoot, "src", project, "bin", configuration, "net10.0", "bootstrap.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the function first: {path} is missing.", path);
    }

    public static FunctionProcess Start(EmulatorFixture emulators, IReadOnlyDictionary<string, string> variables, string project = StreamingProject)
    {
        var runtime = RuntimeApiEmulator.Start();
        var startInfo = emulators.CreateStartInfo("dotnet", BootstrapPath(emulators.RepositoryRoot, project));
        startInfo.Environment["AWS_LAMBDA_RUNTIME_API"] = runtime.HostAndPort;
        foreach (var name in new[]
                 {
                     "MODEL_LOCATION", "MODEL_BUCKET", "MODEL_KEY", "RUN_ID", "MLFLOW_EXPERIMENT_ID", "TEST_RUN", "PREDICTIONS_STREAM_NAME",
                     "REJECTIONS_STREAM_NAME", "INPUT_ROOT", "OUTPUT_ROOT",
                 })
        {
            startInfo.Environment.Remove(name);
        }

        foreach (var (name, value) in variables)
        {
            startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo };
        var function = new FunctionProcess(runtime, process);
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) function._output.Enqueue(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) function._output.Enqueue("stderr: " + line.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return function;
    }

    /// <summary>The first output line matching <paramref name="match"/>; stdout is read asynchronously, so it may trail the HTTP answer.</summary>
    public async Task<string> WaitForOutputAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_output.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No matching output line within {timeout}. Output:\n{string.Join('\n', _output)}");
            }

            await Task.Delay(50);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        await Runtime.DisposeAsync();
    }
}
