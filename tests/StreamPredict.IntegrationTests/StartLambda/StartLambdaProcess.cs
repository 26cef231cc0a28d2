using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace StreamPredict.IntegrationTests.StartLambda;

/// <summary>`streampredict start-lambda` as a user runs it: the built tool in its own process, read until it prints
/// its URL. Disposing kills it if a test did not stop it.</summary>
internal sealed partial class StartLambdaProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _out = new();
    private readonly ConcurrentQueue<string> _error = new();

    private StartLambdaProcess(Process process) => _process = process;

    public Uri BaseUrl { get; private set; } = null!;

    public Uri RieUrl => new(BaseUrl, "2015-03-31/functions/function/invocations");

    public IReadOnlyCollection<string> Out => _out;

    public IReadOnlyCollection<string> Error => _error;

    public int Id => _process.Id;

    /// <summary>Starts the tool with this process's environment, minus the function's variables, plus <paramref name="variables"/>
    /// (a null value removes one).</summary>
    public static async Task<StartLambdaProcess> StartAsync(IReadOnlyDictionary<string, string?> variables, params string[] args)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "StreamPredict.Cli.dll"));
        startInfo.ArgumentList.Add("start-lambda");
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        foreach (var name in InvokeHttp.FunctionVariables)
        {
            startInfo.Environment.Remove(name);
        }

        foreach (var (name, value) in variables)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = startInfo };
        var tool = new StartLambdaProcess(process);
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) tool._out.Enqueue(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) tool._error.Enqueue(line.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var listening = await tool.WaitForLineAsync(tool._out, line => ListeningLine().IsMatch(line), TimeSpan.FromMinutes(2));
            tool.BaseUrl = new Uri(ListeningLine().Match(listening).Groups[1].Value);
            return tool;
        }
        catch
        {
            await tool.DisposeAsync();
            throw;
        }
    }

    /// <summary>The function's process id, once start-lambda says it is ready.</summary>
    public async Task<int> FunctionPidAsync()
    {
        await WaitForLineAsync(_error, line => InvokeHttp.FunctionPids([line]).Count > 0, TimeSpan.FromMinutes(2));
        return InvokeHttp.FunctionPids(_error)[0];
    }

    public Task SignalAsync(string signal) => InvokeHttp.SignalAsync(_process.Id, signal);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    public override string ToString() => $"stdout:\n{string.Join('\n', _out)}\nstderr:\n{string.Join('\n', _error)}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task<string> WaitForLineAsync(ConcurrentQueue<string> lines, Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"start-lambda did not print the expected line (exited: {_process.HasExited}).\n{this}");
            }

            await Task.Delay(50);
        }
    }

    [GeneratedRegex(@"^start-lambda: listening on (\S+)$")]
    private static partial Regex ListeningLine();
}
