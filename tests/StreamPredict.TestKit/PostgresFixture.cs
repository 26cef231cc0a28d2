using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace StreamPredict.TestKit;

/// <summary>
/// A private PostgreSQL server for one test run: Debian's server binaries (package postgresql) initialise a cluster in a
/// new temporary folder, start it on a free loopback port, and stop and remove it on dispose. Started as the
/// <c>postgres</c> user when the tests run as root (initdb refuses root). Use with <c>[PostgresFact]</c>, which skips with
/// a message when the binaries are missing on a developer machine and fails on CI (CI=true), where .ci/run installs them.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private const string User = "streampredict";
    private string? _root;
    private string? _data;

    /// <summary>Where initdb and pg_ctl are, or null; the newest installed version wins.</summary>
    public static string? BinDirectory { get; } = FindBinaries();

    public static string? SkipReason =>
        BinDirectory is not null || Ci.IsOn
            ? null
            : "PostgreSQL's server binaries are not installed (apt-get install postgresql), so the PostgreSQL tests are skipped";

    public int Port { get; private set; }

    /// <summary>postgresql://streampredict@127.0.0.1:PORT/postgres (trust authentication on loopback; no password).</summary>
    public string Url => string.Create(CultureInfo.InvariantCulture, $"postgresql://{User}@127.0.0.1:{Port}/postgres");

    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username={User};Database=postgres");

    public async Task InitializeAsync()
    {
        var bin = BinDirectory ?? throw new InvalidOperationException(
            "PostgreSQL's server binaries were not found under /usr/lib/postgresql/*/bin or on PATH: apt-get install postgresql");
        _root = (await RunAsync("mktemp", ["-d", Path.Combine(Path.GetTempPath(), "streampredict-pg-XXXXXX")])).Trim();
        _data = Path.Combine(_root, "data");
        Port = FreePort();
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", _data, "-U", User, "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
        await RunAsync(Path.Combine(bin, "pg_ctl"),
        [
            "-D", _data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60",
            "-o", string.Create(CultureInfo.InvariantCulture, $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off"), "start",
        ]);
    }

    public async Task DisposeAsync()
    {
        if (_data is not null && BinDirectory is { } bin)
        {
            await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", _data, "-m", "fast", "-w", "stop"]);
        }

        if (_root is not null)
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static string? FindBinaries()
    {
        const string Debian = "/usr/lib/postgresql";
        if (Directory.Exists(Debian))
        {
            var newest = Directory.GetDirectories(Debian)
                .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .FirstOrDefault();
            if (newest is not null)
            {
                return Path.Combine(newest, "bin");
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .FirstOrDefault(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a command, as the postgres user when this process is root; throws with its output when it fails.</summary>
    private static async Task<string> RunAsync(string command, string[] arguments)
    {
        var asRoot = Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? "runuser" : command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asRoot)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", command })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }

        return await output;
    }
}

/// <summary>A fact that needs a real PostgreSQL; see <see cref="PostgresFixture.SkipReason"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() => Skip = PostgresFixture.SkipReason;
}
