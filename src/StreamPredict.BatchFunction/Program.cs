using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.Lambda.Bootstrap;
using StreamPredict.Aws.Lambda.Client;
using StreamPredict.Aws.S3;
using StreamPredict.Batch.Lambda;
using StreamPredict.Serving.Models;

// The batch Lambda: settings → model (once per container) → the Runtime API loop, one month per invocation.
// SIGTERM (Lambda shutting the environment down) ends the loop.
using var stop = LambdaShutdown.CancelOnProcessExit();

RuntimeApiClient runtime;
try
{
    runtime = RuntimeApiClient.FromEnvironment();
}
catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
{
    Console.Error.WriteLine(exception.Message);
    return 1;
}

using (runtime)
{
    var bootstrap = new LambdaBootstrap(runtime);
    return await bootstrap.RunAsync(async cancellationToken =>
    {
        var settings = BatchFunctionSettings.FromEnvironment();
        AwsEnvironment? aws = null;
        AwsEnvironment Aws() => aws ??= AwsEnvironment.FromEnvironment();
        var model = await ModelLoader.LoadAsync(settings.Model, () => new S3ObjectDownloader(Aws()), cancellationToken).ConfigureAwait(false);
        var handler = new BatchScoringHandler(settings, model, Aws);
        Console.WriteLine($"init done: model {model.Name} version {model.Version} ({model.Kind}), outputs named after run {handler.RunId}");
        return handler;
    }, stop.Token).ConfigureAwait(false);
}
