using System.Diagnostics;
using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.Diagnostics;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Aws.Lambda.Bootstrap;
using StreamPredict.Aws.Lambda.Client;
using StreamPredict.Aws.S3;
using StreamPredict.Function;
using StreamPredict.Function.Configuration;
using StreamPredict.Function.Observability;
using StreamPredict.Function.Publishing;
using StreamPredict.Serving.Models;

// The Lambda function: settings → model (once per container) → the Runtime API loop.
var processStarted = Stopwatch.GetTimestamp();
StartupTrace.Mark("main");
TimerThreadStart.InBackground();
using var log = JsonLog.ToStdout();
// SIGTERM (Lambda shutting the environment down) ends the loop.
using var stop = LambdaShutdown.CancelOnProcessExit();

RuntimeApiClient runtime;
try
{
    runtime = RuntimeApiClient.FromEnvironment();
    StartupTrace.Mark("runtime api client");
}
catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
{
    log.Error(exception.Message, null);
    return 1;
}

IKinesisWriter? writer = null;
RideBatchHandler? handler = null;
try
{
    var bootstrap = new LambdaBootstrap(runtime, line => log.Error(line, null));
    return await bootstrap.RunAsync(async cancellationToken =>
    {
        var settings = FunctionSettings.FromEnvironment();
        var needsAws = settings.Model.IsS3 || !settings.TestRun;
        var aws = needsAws ? AwsEnvironment.FromEnvironment() : null;
        StartupTrace.Mark("settings read");
        // The download mostly waits on the network: build the Kinesis client meanwhile. Both connect at once (DNS, TCP),
        // so neither the model's GET nor the first PutRecords waits for a handshake (bench coldstart --trace).
        var loading = ModelLoader.LoadAsync(settings.Model, () => S3ObjectDownloader.ConnectingEarly(aws!, settings.Model.Bucket!), cancellationToken);
        writer = settings.TestRun ? DisabledKinesisWriter.Instance : KinesisClient.ConnectingEarly(aws!);
        StartupTrace.Mark("kinesis client built");
        var model = await loading.ConfigureAwait(false);
        StartupTrace.Mark("model loaded");
        handler = new RideBatchHandler(model, writer, RideBatchHandlerOptions.From(settings), log);
        log.Info("init done", null,
            LogField.Of("modelName", model.Name), LogField.Of("modelVersion", model.Version), LogField.Of("modelKind", model.Kind),
            LogField.Of("outputVersion", settings.ModelVersion ?? model.Version),
            LogField.Of("modelSource", settings.Model.ToString()),
            LogField.Of("predictionsStream", settings.PredictionsStreamName), LogField.Of("rejectionsStream", settings.RejectionsStreamName),
            LogField.Of("testRun", settings.TestRun ? "true" : "false"),
            LogField.Of("initMs", Stopwatch.GetElapsedTime(processStarted).TotalMilliseconds));
        StartupTrace.Mark("init done");
        return handler;
    }, stop.Token).ConfigureAwait(false);
}
finally
{
    handler?.Dispose();
    (writer as IDisposable)?.Dispose();
    runtime.Dispose();
}
