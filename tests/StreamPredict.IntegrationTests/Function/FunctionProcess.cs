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
    private readonly CapturedProcess _process;

    private FunctionProcess(RuntimeApiEmulator runtime, CapturedProcess process)
    {
        Runtime = runtime;
        _process = process;
    }

    public RuntimeApiEmulator Runtime { get; }

    public IReadOnlyCollection<string> Output => _process.Output;

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
        foreach (var name in (string[])[.. StreamPredict.Function.Configuration.FunctionSettings.VariableNames, "INPUT_ROOT", "OUTPUT_ROOT"])
        {
            startInfo.Environment.Remove(name);
        }

        foreach (var (name, value) in variables)
        {
            startInfo.Environment[name] = value;
        }

        return new FunctionProcess(runtime, CapturedProcess.Start(startInfo));
    }

    /// <summary>The first output line matching <paramref name="match"/>; stdout is read asynchronously, so it may trail the HTTP answer.</summary>
    public Task<string> WaitForOutputAsync(Func<string, bool> match, TimeSpan timeout) => _process.WaitForOutputAsync(match, timeout);

    public Task<int> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        await Runtime.DisposeAsync();
    }
}
