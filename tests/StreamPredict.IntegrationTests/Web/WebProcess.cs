using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using StreamPredict.IntegrationTests.Infrastructure;

namespace StreamPredict.IntegrationTests.Web;

/// <summary>
/// The BUILT web service (src/StreamPredict.Web/bin/{Configuration}/net10.0/streampredict-web.dll) as a real process
/// on a free loopback port, for what only a process shows: exit codes, signals, its output.
/// </summary>
internal sealed partial class WebProcess : IAsyncDisposable
{
    private readonly CapturedProcess _process;

    private WebProcess(CapturedProcess process) => _process = process;

    public IReadOnlyCollection<string> Output => _process.Output;

    public bool HasExited => _process.HasExited;

    public static string DllPath(string repositoryRoot)
    {
        var configuration = typeof(WebProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var path = Path.Combine(repositoryRoot, "src", "StreamPredict.Web", "bin", configuration, "net10.0", "streampredict-web.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the web service first: {path} is missing.", path);
    }

    /// <summary>Starts <c>dotnet streampredict-web.dll</c> with the given variables instead of any model or AWS settings of this process.</summary>
    public static WebProcess Start(IReadOnlyDictionary<string, string> variables, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("dotnet") { WorkingDirectory = RepositoryPaths.Root };
        startInfo.ArgumentList.Add(DllPath(RepositoryPaths.Root));
        foreach (var argument in arguments.Length == 0 ? ["--urls", "http://127.0.0.1:0"] : arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var name in startInfo.Environment.Keys.Where(k => k.StartsWith("MODEL_", StringComparison.Ordinal) || k.StartsWith("AWS_", StringComparison.Ordinal) || k is "RUN_ID" or "MLFLOW_EXPERIMENT_ID").ToList())
        {
            startInfo.Environment.Remove(name);
        }

        foreach (var (name, value) in variables)
        {
            startInfo.Environment[name] = value;
        }

        return new WebProcess(CapturedProcess.Start(startInfo));
    }

    /// <summary>The address Kestrel bound, from its "Now listening on" line.</summary>
    public async Task<Uri> AddressAsync(TimeSpan timeout)
    {
        var line = await WaitForOutputAsync(l => l.Contains("Now listening on:", StringComparison.Ordinal), timeout);
        return new Uri(ListeningOn().Match(line).Groups[1].Value);
    }

    public Task<string> WaitForOutputAsync(Func<string, bool> match, TimeSpan timeout) => _process.WaitForOutputAsync(match, timeout);

    public Task<int> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    /// <summary>Sends a signal with kill(1): TERM to stop, HUP to check the model now.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@"Now listening on: (\S+)")]
    private static partial Regex ListeningOn();
}
