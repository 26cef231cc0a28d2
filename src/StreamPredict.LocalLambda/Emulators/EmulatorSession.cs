using System.Diagnostics;
using System.Globalization;

namespace StreamPredict.LocalLambda.Emulators;

/// <summary>
/// kinesis-local and s3rver started by infra/emulators/start.sh with a private state folder, stopped by stop.sh on
/// dispose. WATCH_PID is this process, so even a killed CLI cannot leave them running.
/// </summary>
public sealed class EmulatorSession : IAsyncDisposable
{
    private readonly string _repositoryRoot;
    private readonly string _stateDirectory;
    private readonly Action<string> _log;

    private EmulatorSession(string repositoryRoot, string stateDirectory, IReadOnlyDictionary<string, string> variables, Action<string> log)
    {
        _repositoryRoot = repositoryRoot;
        _stateDirectory = stateDirectory;
        Variables = variables;
        _log = log;
    }

    /// <summary>The endpoint, region and credential variables start.sh printed.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; }

    public static async Task<EmulatorSession> StartAsync(string repositoryRoot, Action<string> log, CancellationToken cancellationToken)
    {
        var stateDirectory = Path.Combine(Path.GetTempPath(), "streampredict-demo-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(stateDirectory);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var session = new EmulatorSession(repositoryRoot, stateDirectory, variables, log);
        try
        {
            var (exitCode, output, error) = await RunScriptAsync(repositoryRoot, stateDirectory, "start.sh", TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                const string Export = "export ";
                var equals = line.IndexOf('=', StringComparison.Ordinal);
                if (line.StartsWith(Export, StringComparison.Ordinal) && equals > Export.Length)
                {
                    variables[line[Export.Length..equals]] = line[(equals + 1)..];
                }
            }

            if (exitCode != 0 || !variables.ContainsKey("AWS_ENDPOINT_URL_KINESIS") || !variables.ContainsKey("AWS_ENDPOINT_URL_S3"))
            {
                throw new LocalLambdaException($"infra/emulators/start.sh failed (exit {exitCode}):{Environment.NewLine}{error.Trim()}");
            }
        }
        catch
        {
            // start.sh may have launched one emulator before failing or being cancelled.
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        log($"emulators: kinesis {variables["AWS_ENDPOINT_URL_KINESIS"]}, s3 {variables["AWS_ENDPOINT_URL_S3"]}");
        return session;
    }

    public async ValueTask DisposeAsync()
    {
        // Not cancellable: stopping must happen on Ctrl-C too.
        var (exitCode, _, error) = await RunScriptAsync(_repositoryRoot, _stateDirectory, "stop.sh", TimeSpan.FromSeconds(60), CancellationToken.None).ConfigureAwait(false);
        if (exitCode != 0)
        {
            _log($"warning: infra/emulators/stop.sh failed ({exitCode}): {error.Trim()}");
        }
        else
        {
            _log("emulators stopped");
        }

        try
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A log still being flushed; a leftover temp folder is harmless.
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunScriptAsync(
        string repositoryRoot, string stateDirectory, string script, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = repositoryRoot,
        };
        startInfo.ArgumentList.Add(Path.Combine(repositoryRoot, "infra", "emulators", script));
        startInfo.Environment["STATE_DIR"] = stateDirectory;
        startInfo.Environment["WATCH_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(startInfo) ?? throw new LocalLambdaException($"Could not run bash infra/emulators/{script}.");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new LocalLambdaException($"infra/emulators/{script} did not finish within {timeout.TotalSeconds:0} s.");
        }

        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}
