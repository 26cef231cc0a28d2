using System.Diagnostics;
using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Aws.S3;
using StreamPredict.LocalLambda.Emulators;

namespace StreamPredict.TestKit;

/// <summary>
/// Real Kinesis and S3 endpoints for a test run, shared by every test in the "emulators" collection.
/// </summary>
/// <remarks>
/// <para>When AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_KINESIS or AWS_ENDPOINT_URL_S3 is set (e.g. AWS_ENDPOINT_URL=
/// http://localhost:4566 for LocalStack) those endpoints are used, with region us-east-1 and credentials test/test
/// unless the environment gives others.</para>
/// <para>Otherwise it runs infra/emulators/start.sh with a private STATE_DIR (so parallel runs never clash) and
/// WATCH_PID set to this process, and stop.sh on dispose: no emulator outlives the run, even a killed one.</para>
/// <para>Use: <c>[Collection(Emulators.Collection)]</c> on the test class and take an <see cref="EmulatorFixture"/>
/// in its constructor. To run a second process (e.g. the function) against the same endpoints, start it with
/// <see cref="CreateStartInfo"/>, or copy <see cref="Variables"/> into its environment.</para>
/// </remarks>
public sealed class EmulatorFixture : IAsyncLifetime
{
    private static readonly string[] EndpointVariables = ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_KINESIS", "AWS_ENDPOINT_URL_S3"];
    private static readonly string[] PassThroughVariables =
        [.. EndpointVariables, "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];

    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);
    private EmulatorSession? _session;
    private string? _stopFailure;

    /// <summary>The repository root (the directory holding StreamPredict.sln).</summary>
    public string RepositoryRoot { get; } = RepositoryPaths.Root;

    /// <summary>Endpoint, region and credential variables for this run; give these to any child process.</summary>
    public IReadOnlyDictionary<string, string> Variables => _variables;

    /// <summary>The same settings resolved as the production code resolves them.</summary>
    public AwsEnvironment Environment { get; private set; } = null!;

    /// <summary>True when this fixture started (and will stop) the npm emulators; false for external endpoints.</summary>
    public bool StartedEmulators => _session is not null;

    public async Task InitializeAsync()
    {
        if (EndpointVariables.Any(name => !string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable(name))))
        {
            UseExternalEndpoints();
        }
        else
        {
            await StartEmulatorsAsync().ConfigureAwait(false);
        }

        Environment = AwsEnvironment.FromEnvironment(name => _variables.GetValueOrDefault(name));
    }

    public async Task DisposeAsync()
    {
        if (_session is null)
        {
            return;
        }

        await _session.DisposeAsync().ConfigureAwait(false);
        _session = null;
        if (_stopFailure is not null)
        {
            throw new InvalidOperationException(_stopFailure);
        }
    }

    /// <summary>A name no other test (or parallel run) uses, valid for both Kinesis streams and S3 buckets.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 17, 63)];

    /// <summary>A per-test budget: emulator calls should never hang a test run.</summary>
    public static CancellationToken TestTimeout() => new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;

    public KinesisClient CreateKinesisClient() => new(Environment);

    public S3ObjectStore CreateObjectStore() => new(Environment);

    /// <summary>Creates a uniquely named stream and waits until it is ACTIVE; returns its name.</summary>
    public static async Task<string> CreateActiveStreamAsync(KinesisClient kinesis, string prefix, int shardCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kinesis);
        var name = UniqueName(prefix);
        await kinesis.CreateStreamAsync(name, shardCount, cancellationToken).ConfigureAwait(false);
        await kinesis.WaitForStreamActiveAsync(name, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <summary>A start info for a child process that talks to the same endpoints (output redirected).</summary>
    public ProcessStartInfo CreateStartInfo(string fileName, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The child must not pick up endpoints from this process that disagree with ours.
        foreach (var name in PassThroughVariables)
        {
            startInfo.Environment.Remove(name);
        }

        foreach (var (name, value) in _variables)
        {
            startInfo.Environment[name] = value;
        }

        return startInfo;
    }

    private void UseExternalEndpoints()
    {
        foreach (var name in PassThroughVariables)
        {
            if (System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                _variables[name] = value;
            }
        }

        // LocalStack's conventions: any region works, and it accepts the dummy key pair test/test.
        if (!_variables.ContainsKey("AWS_REGION") && !_variables.ContainsKey("AWS_DEFAULT_REGION"))
        {
            _variables["AWS_REGION"] = "us-east-1";
        }

        if (!_variables.ContainsKey("AWS_ACCESS_KEY_ID"))
        {
            _variables["AWS_ACCESS_KEY_ID"] = "test";
            _variables["AWS_SECRET_ACCESS_KEY"] = "test";
        }
    }

    /// <summary>The CLI's demo starts the emulators the same way; one implementation serves both.</summary>
    private async Task StartEmulatorsAsync()
    {
        _session = await EmulatorSession.StartAsync(RepositoryRoot, RecordStopFailure, CancellationToken.None).ConfigureAwait(false);
        foreach (var (name, value) in _session.Variables)
        {
            _variables[name] = value;
        }
    }

    private void RecordStopFailure(string line)
    {
        if (line.StartsWith("warning:", StringComparison.Ordinal))
        {
            _stopFailure = line;
        }
    }
}
