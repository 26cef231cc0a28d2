using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Aws.S3;
using StreamPredict.Cli.Demo;
using StreamPredict.LocalLambda.Emulators;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.Serving.Models;
using StreamPredict.Serving.Streaming;
using StreamPredict.Model.Artifact;
using StreamPredict.Data.Tlc;
using StreamPredict.Training.Linear;

namespace StreamPredict.Cli.Bench;

/// <summary>
/// Kinesis and S3 for a bench: the endpoints already configured (e.g. a LocalStack in AWS_ENDPOINT_URL), else
/// emulators started for this run and stopped on dispose. Creates the streams and the model object the function needs.
/// </summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    private const string Bucket = "streampredict-bench";
    private readonly EmulatorSession? _emulators;

    private BenchEnvironment(CliContext context, EmulatorSession? emulators)
    {
        Context = context;
        _emulators = emulators;
        Aws = AwsEnvironment.FromEnvironment(context.GetVariable);
    }

    /// <summary>A context whose variables include the endpoints, region and credentials.</summary>
    public CliContext Context { get; }

    public AwsEnvironment Aws { get; }

    public static async Task<BenchEnvironment> StartAsync(CliContext context, string verb, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetVariable("AWS_ENDPOINT_URL") is not null || context.GetVariable("AWS_ENDPOINT_URL_KINESIS") is not null)
        {
            context.Info($"{verb}: using the endpoints already configured, not starting emulators");
            return new BenchEnvironment(context, null);
        }

        context.Info($"{verb}: starting the emulators (infra/emulators/start.sh)...");
        var emulators = await EmulatorSession.StartAsync(RepositoryLocator.Require($"streampredict {verb}"), context.Info, cancellationToken).ConfigureAwait(false);
        var variables = new Dictionary<string, string>(context.Overrides, StringComparer.Ordinal);
        foreach (var (name, value) in emulators.Variables)
        {
            variables[name] = value;
        }

        return new BenchEnvironment(new CliContext(context.Out, context.Error, variables), emulators);
    }

    /// <summary>The model file given, or a linear model trained now on the bundled January sample.</summary>
    public static byte[] ModelBytes(FileInfo? file)
    {
        if (file is not null)
        {
            return file.Exists ? File.ReadAllBytes(file.FullName) : throw new CliException($"Model file '{file.FullName}' does not exist.");
        }

        var training = TlcDataset.ReadFile(Path.Combine(AppContext.BaseDirectory, "SampleData", "green_tripdata_2021-01.train.csv.gz"));
        return ModelArtifactWriter.Write(LinearRegressionTrainer.Train(training).Artifact);
    }

    public async Task<string> CreateStreamAsync(string prefix, CancellationToken cancellationToken)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
        using var kinesis = new KinesisClient(Aws);
        await kinesis.CreateStreamAsync(name, 1, cancellationToken).ConfigureAwait(false);
        await kinesis.WaitForStreamActiveAsync(name, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <summary>Uploads the model under a fresh key; returns the variables that make the function fetch it at init.</summary>
    public async Task<Dictionary<string, string>> PutModelAsync(byte[] model, CancellationToken cancellationToken)
    {
        var key = $"bench/{Guid.NewGuid():N}/model.json";
        using var store = new S3ObjectStore(Aws);
        await store.EnsureBucketAsync(Bucket, cancellationToken).ConfigureAwait(false);
        await store.PutAsync(Bucket, key, model, cancellationToken, "application/json").ConfigureAwait(false);
        var variables = Context.ChildEnvironment();
        variables[ModelLocation.BucketVariable] = Bucket;
        variables[ModelLocation.KeyVariable] = key;
        return variables;
    }

    public async ValueTask DisposeAsync()
    {
        if (_emulators is not null)
        {
            await _emulators.DisposeAsync().ConfigureAwait(false);
        }
    }
}
