using StreamPredict.Aws.S3;

namespace StreamPredict.Serving.Models;

/// <summary>What one reload check did, for the host's log and metrics.</summary>
public enum ModelCheckResult
{
    /// <summary>The stored model's stamp is the one being served.</summary>
    Unchanged,

    /// <summary>A new model was loaded, verified and swapped in.</summary>
    Reloaded,

    /// <summary>The check or the load failed; the model being served stays.</summary>
    Failed,

    /// <summary>The stamp is one whose load already failed; it is retried when it changes or a check is forced.</summary>
    SkippedKnownBad,
}

/// <summary>One check's outcome: the result, the served version afterwards, and the reason for a failure.</summary>
public sealed record ModelCheck(ModelCheckResult Result, string? Version, string? Stamp, string? Error);

/// <summary>
/// Keeps a <see cref="ModelHolder"/> up to date with the stored model: loads the first model, then on every check
/// probes the stamp (<see cref="ModelStampProbe"/>) and, when it changed, loads and verifies the new model through the
/// one <see cref="ModelLoader"/> in the background and swaps it in. A model that fails to load is reported and the old
/// one keeps serving. Checks never overlap.
/// </summary>
public sealed class ModelReloader : IDisposable
{
    private readonly ModelLocation _location;
    private readonly ModelHolder _holder;
    private readonly Func<S3ObjectDownloader> _openDownloader;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _oneCheckAtATime = new(1, 1);
    private readonly SemaphoreSlim _checkRequested = new(0, 1);
    private readonly Lazy<S3ObjectDownloader>? _probeDownloader;
    private string? _failedStamp;
    private long _reloads;
    private long _failures;

    /// <param name="openDownloader">Opens an S3 downloader; null for a local model.</param>
    public ModelReloader(ModelLocation location, ModelHolder holder, Func<S3ObjectDownloader>? openDownloader, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(holder);
        _location = location;
        _holder = holder;
        _time = time ?? TimeProvider.System;
        _openDownloader = openDownloader ?? (() => throw new ModelUnavailableException($"{location.Origin} names an S3 object, but no S3 settings were given."));
        _probeDownloader = location.IsS3 ? new Lazy<S3ObjectDownloader>(_openDownloader) : null;
    }

    /// <summary>Models swapped in after the first.</summary>
    public long Reloads => Interlocked.Read(ref _reloads);

    /// <summary>Checks or loads that failed (the old model kept serving).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Called after every check that did something other than find the model unchanged.</summary>
    public event Action<ModelCheck>? Checked;

    /// <summary>
    /// Loads the first model. Throws <see cref="ModelUnavailableException"/> with the same message the function gives
    /// for the same location, so a service that cannot start says exactly what the function would.
    /// </summary>
    public async Task<ServedModel> LoadFirstAsync(CancellationToken cancellationToken)
    {
        // The stamp is read before the bytes: if the model changes in between, the next check sees a newer stamp and
        // loads again, rather than missing the change. A failed probe only costs one extra load later.
        var stamp = await TryProbeAsync(cancellationToken).ConfigureAwait(false);
        var model = await ModelLoader.LoadAsync(_location, _openDownloader, cancellationToken).ConfigureAwait(false);
        var served = new ServedModel(model, stamp, _time.GetUtcNow());
        _holder.Swap(served);
        return served;
    }

    /// <summary>One check: probe, and reload when the stamp changed. <paramref name="force"/> also retries a stamp whose load failed before
    /// (an unchanged model is never reloaded).</summary>
    public async Task<ModelCheck> CheckAsync(bool force, CancellationToken cancellationToken)
    {
        await _oneCheckAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var check = await CheckOnceAsync(force, cancellationToken).ConfigureAwait(false);
            if (check.Result != ModelCheckResult.Unchanged)
            {
                Checked?.Invoke(check);
            }

            return check;
        }
        finally
        {
            _oneCheckAtATime.Release();
        }
    }

    /// <summary>Asks <see cref="RunAsync"/> for a forced check now (SIGHUP); several requests before it runs make one check.</summary>
    public void RequestCheck()
    {
        try
        {
            _checkRequested.Release();
        }
        catch (SemaphoreFullException)
        {
            // A check is already pending.
        }
    }

    /// <summary>Checks every <paramref name="period"/> (null: only when asked by <see cref="RequestCheck"/>) until cancelled.</summary>
    public async Task RunAsync(TimeSpan? period, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            bool forced;
            try
            {
                forced = period is { } every
                    ? await _checkRequested.WaitAsync(every, cancellationToken).ConfigureAwait(false)
                    : await _checkRequested.WaitAsync(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await CheckAsync(forced, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        if (_probeDownloader is { IsValueCreated: true })
        {
            _probeDownloader.Value.Dispose();
        }

        _oneCheckAtATime.Dispose();
        _checkRequested.Dispose();
    }

    private async Task<ModelCheck> CheckOnceAsync(bool force, CancellationToken cancellationToken)
    {
        var current = _holder.Current;
        string stamp;
        try
        {
            stamp = await ModelStampProbe.ReadAsync(_location, _probeDownloader?.Value, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelUnavailableException exception)
        {
            Interlocked.Increment(ref _failures);
            return new ModelCheck(ModelCheckResult.Failed, current?.Version, null, exception.Message);
        }

        if (current is not null && stamp == current.Stamp)
        {
            return new ModelCheck(ModelCheckResult.Unchanged, current.Version, stamp, null);
        }

        if (!force && stamp == _failedStamp)
        {
            return new ModelCheck(ModelCheckResult.SkippedKnownBad, current?.Version, stamp, null);
        }

        try
        {
            var model = await ModelLoader.LoadAsync(_location, _openDownloader, cancellationToken).ConfigureAwait(false);
            _holder.Swap(new ServedModel(model, stamp, _time.GetUtcNow()));
            _failedStamp = null;
            Interlocked.Increment(ref _reloads);
            return new ModelCheck(ModelCheckResult.Reloaded, model.Version, stamp, null);
        }
        catch (ModelUnavailableException exception)
        {
            _failedStamp = stamp;
            Interlocked.Increment(ref _failures);
            return new ModelCheck(ModelCheckResult.Failed, current?.Version, stamp, exception.Message);
        }
    }

    private async Task<string?> TryProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ModelStampProbe.ReadAsync(_location, _probeDownloader?.Value, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelUnavailableException)
        {
            // The load that follows fails with the function's own message, or succeeds and the next check reloads once.
            return null;
        }
    }
}
