using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace StreamPredict.IntegrationTests.Web;

/// <summary>
/// The BUILT web service (src/StreamPredict.Web/bin/{Configuration}/net10.0/streampredict-web.dll) as a real process
/// on a free loopback port, for what only a process shows: exit codes, signals, its output.
/// </summary>
internal sealed partial class WebProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private WebProcess(Process process) => _process = process;

    public IReadOnlyCollection<string> Output => _output;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static string DllPath(string repositoryRoot)
    {
        var configuration = typeof(WebProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var path = Path.Combine(repositoryRoot, "src", "StreamPredict.Web", "bin", configuration, "net10.0", "streampredict-web.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the web service first: {path} is missing.", path);
    }

    /// <summary>Starts <c>dotnet streampredict-web.dll</c> with only the given variables of ours (plus PATH and HOME).</summary>
    public static WebProcess Start(IReadOnlyDictionary<string, string> variables, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
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

        var process = new Process { StartInfo = startInfo };
        var web = new WebProcess(process);
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) web._output.Enqueue(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) web._output.Enqueue("stderr: " + line.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return web;
    }

    /// <summary>The address Kestrel bound, from its "Now listening on" line.</summary>
    public async Task<Uri> AddressAsync(TimeSpan timeout)
    {
        var line = await WaitForOutputAsync(l => l.Contains("Now listening on:", StringComparison.Ordinal), timeout);
        return new Uri(ListeningOn().Match(line).Groups[1].Value);
    }

    public async Task<string> WaitForOutputAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_output.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            if (DateTime.UtcNow > deadline || (_process.HasExited && _output.FirstOrDefault(match) is null))
            {
                await Task.Delay(200);
                throw new TimeoutException($"No matching output line within {timeout} (exited: {_process.HasExited}). Output:\n{string.Join('\n', _output)}");
            }

            await Task.Delay(25);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>Sends a signal with kill(1): TERM to stop, HUP to check the model now.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (\S+)")]
    private static partial Regex ListeningOn();
}
