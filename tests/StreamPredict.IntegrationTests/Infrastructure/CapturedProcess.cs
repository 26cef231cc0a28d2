using System.Collections.Concurrent;
using System.Diagnostics;

namespace StreamPredict.IntegrationTests.Infrastructure;

/// <summary>
/// A child process whose stdout and stderr lines (the latter prefixed "stderr: ") are collected as they come, for the
/// tests that run a built executable (the function, the web service). Disposing kills it if it still runs.
/// </summary>
internal sealed class CapturedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private CapturedProcess(Process process) => _process = process;

    public IReadOnlyCollection<string> Output => _output;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="startInfo"/> with both streams redirected and read line by line.</summary>
    public static CapturedProcess Start(ProcessStartInfo startInfo)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;
        var process = new Process { StartInfo = startInfo };
        var captured = new CapturedProcess(process);
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) captured._output.Enqueue(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) captured._output.Enqueue("stderr: " + line.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return captured;
    }

    /// <summary>The first output line matching <paramref name="match"/>; stdout is read asynchronously, so it may trail an HTTP answer.</summary>
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

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
