using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StreamPredict.IntegrationTests.Faults;

/// <summary>
/// A private kinesis-local (kinesis-mock) that persists its streams and records to a directory, so it can be killed and
/// started again on the same port with its data (SHOULD_PERSIST_DATA / PERSIST_PATH; it loads the file at start).
/// </summary>
/// <remarks>
/// kinesis-mock writes the file every PERSIST_INTERVAL, not on shutdown, and not at all reliably below ~1 s (writes
/// overlap and the file ends empty, which it then cannot load). So a restart only keeps what was written more than one
/// interval before the kill: callers stop traffic first (<see cref="KinesisFaultProxy.BeginOutageAsync"/>) and then
/// <see cref="WaitForSnapshotAfterAsync"/>.
/// </remarks>
internal sealed class PersistentKinesisMock : IAsyncDisposable
{
    public static readonly TimeSpan PersistInterval = TimeSpan.FromSeconds(1);

    private readonly string _packageDirectory;
    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("kinesis-persist-");
    private readonly int _port;
    private readonly int _tlsPort;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private PersistentKinesisMock(string repositoryRoot)
    {
        _packageDirectory = Path.Combine(repositoryRoot, "infra", "emulators", "node_modules", "kinesis-local");
        (_port, _tlsPort) = (FreePort(), FreePort());
        Endpoint = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{_port}"));
    }

    public Uri Endpoint { get; }

    public int Starts { get; private set; }

    /// <summary>Needs the emulator packages installed (the emulator fixture's start.sh runs npm ci).</summary>
    public static async Task<PersistentKinesisMock> StartAsync(string repositoryRoot)
    {
        var mock = new PersistentKinesisMock(repositoryRoot);
        await mock.StartProcessAsync();
        return mock;
    }

    /// <summary>
    /// Waits until the data file has been rewritten twice after <paramref name="quietSinceUtc"/> (the second write
    /// started after the first ended, so it holds everything written before that moment) and has then been still for
    /// a moment (that write is complete). Kill right after: the next write is most of an interval away, and a kill in
    /// the middle of a write would leave a file kinesis-mock cannot load.
    /// </summary>
    public async Task WaitForSnapshotAfterAsync(DateTime quietSinceUtc, TimeSpan timeout)
    {
        var file = new FileInfo(Path.Combine(_dataDirectory.FullName, "kinesis-data.json"));
        var seen = new HashSet<DateTime>();
        var deadline = DateTime.UtcNow + timeout;
        while (seen.Count < 2 || DateTime.UtcNow - file.LastWriteTimeUtc < TimeSpan.FromMilliseconds(150))
        {
            file.Refresh();
            if (file.Exists && file.Length > 0 && file.LastWriteTimeUtc > quietSinceUtc)
            {
                seen.Add(file.LastWriteTimeUtc);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"kinesis-mock did not persist its data twice within {timeout} (file: {file.FullName}, exists: {file.Exists}).");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Kills the process (no shutdown hook could save anything more) and starts it again on the same port.</summary>
    public async Task RestartAsync()
    {
        Kill();
        await StartProcessAsync();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            _dataDirectory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }

        return ValueTask.CompletedTask;
    }

    private async Task StartProcessAsync()
    {
        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = _packageDirectory, // it reads server.json (its TLS certificate) from here
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("main.js");
        startInfo.Environment["KINESIS_MOCK_PLAIN_PORT"] = _port.ToString(CultureInfo.InvariantCulture);
        startInfo.Environment["KINESIS_MOCK_TLS_PORT"] = _tlsPort.ToString(CultureInfo.InvariantCulture);
        startInfo.Environment["SHOULD_PERSIST_DATA"] = "true";
        startInfo.Environment["PERSIST_PATH"] = _dataDirectory.FullName;
        startInfo.Environment["PERSIST_INTERVAL"] = string.Create(CultureInfo.InvariantCulture, $"{PersistInterval.TotalSeconds:0}s");
        startInfo.Environment["LOG_LEVEL"] = "WARN";
        _process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start node");
        _process.OutputDataReceived += (_, line) => { lock (_log) { _log.AppendLine(line.Data); } };
        _process.ErrorDataReceived += (_, line) => { lock (_log) { _log.AppendLine(line.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Starts++;

        using var http = new HttpClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new StringContent("{}", Encoding.UTF8) };
            request.Content.Headers.ContentType = new("application/x-amz-json-1.1");
            request.Headers.TryAddWithoutValidation("X-Amz-Target", "Kinesis_20131202.ListStreams");
            request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=probe/20200101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=0");
            request.Headers.TryAddWithoutValidation("X-Amz-Date", "20200101T000000Z");
            try
            {
                using var response = await http.SendAsync(request);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"kinesis-mock did not start (exited: {_process.HasExited}):\n{_log}");
            }

            await Task.Delay(200);
        }
    }

    private void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
