using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.S3;
using StreamPredict.Serving.Models;

namespace StreamPredict.Web.Hosting;

/// <summary>
/// The service's model: loaded in the background as the server starts (readiness says not-ready until then), then
/// kept current by the <see cref="ModelReloader"/> every MODEL_POLL_SECONDS and on SIGHUP. If the first load fails the
/// message (the function's own) is logged, the application stops, and the process exits with <see cref="ExitCode"/> 1.
/// </summary>
internal sealed partial class ModelService : IHostedService, IDisposable
{
    private readonly WebSettings _settings;
    private readonly Func<string, string?> _getVariable;
    private readonly ILogger<ModelService> _log;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TaskCompletionSource<ServedModel> _firstLoad = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private ModelReloader? _reloader;
    private PosixSignalRegistration? _sighup;
    private Task _loop = Task.CompletedTask;

    public ModelService(WebSettings settings, Func<string, string?> getVariable, ILogger<ModelService> log, IHostApplicationLifetime lifetime)
    {
        _settings = settings;
        _getVariable = getVariable;
        _log = log;
        _lifetime = lifetime;
    }

    public ModelHolder Holder { get; } = new();

    /// <summary>Null until the service has started.</summary>
    public ModelReloader? Reloader => _reloader;

    /// <summary>Completes with the first model, or fails with the reason it could not be loaded.</summary>
    public Task<ServedModel> FirstLoad => _firstLoad.Task;

    /// <summary>0, or 1 when the first model could not be loaded.</summary>
    public int ExitCode { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _sighup?.Dispose();
        _reloader?.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        ServedModel first;
        try
        {
            // Endpoints, region and credentials are needed only for a model in S3, exactly as in the function.
            var aws = _settings.Model.IsS3 ? AwsEnvironment.FromEnvironment(_getVariable) : null;
            // Each downloader connects as it is made (DNS, TCP) and signs its request meanwhile.
            _reloader = new ModelReloader(_settings.Model, Holder, aws is null ? null : () => S3ObjectDownloader.ConnectingEarly(aws, _settings.Model.Bucket!));
            _reloader.Checked += Report;
            first = await _reloader.LoadFirstAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is ModelUnavailableException or InvalidOperationException or ArgumentException)
        {
            LogCannotStart(exception.Message);
            ExitCode = 1;
            _firstLoad.TrySetException(exception);
            _lifetime.StopApplication();
            return;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _firstLoad.TrySetCanceled(cancellationToken);
            return;
        }

        LogLoaded(first.Model.Name, first.Version, first.Model.Kind, _settings.Model);
        _firstLoad.TrySetResult(first);
        if (!OperatingSystem.IsWindows())
        {
            // SIGHUP would end the process by default; here it asks for a check of the stored model now.
            _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                _reloader.RequestCheck();
            });
        }

        await _reloader.RunAsync(_settings.PollInterval, cancellationToken).ConfigureAwait(false);
    }

    private void Report(ModelCheck check)
    {
        switch (check.Result)
        {
            case ModelCheckResult.Reloaded:
                LogReloaded(check.Version, check.Stamp);
                break;
            case ModelCheckResult.Failed:
                LogReloadFailed(check.Version, check.Error);
                break;
            case ModelCheckResult.SkippedKnownBad:
                LogSkipped(check.Stamp);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Message}")]
    private partial void LogCannotStart(string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "model loaded: {Name} version {Version} ({Kind}) from {Source}")]
    private partial void LogLoaded(string name, string version, string kind, ModelLocation source);

    [LoggerMessage(Level = LogLevel.Information, Message = "model reloaded: version {Version} ({Stamp})")]
    private partial void LogReloaded(string? version, string? stamp);

    [LoggerMessage(Level = LogLevel.Error, Message = "model reload failed; still serving version {Version}: {Error}")]
    private partial void LogReloadFailed(string? version, string? error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "the stored model ({Stamp}) failed to load before; waiting for a new one or SIGHUP")]
    private partial void LogSkipped(string? stamp);
}
