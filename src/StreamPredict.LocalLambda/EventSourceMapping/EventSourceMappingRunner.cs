using System.Diagnostics;
using StreamPredict.Aws.Kinesis;
using StreamPredict.LocalLambda.Runtime;

namespace StreamPredict.LocalLambda.EventSourceMapping;

/// <summary>
/// A local Kinesis event source mapping: one loop per shard (records stay in order within a shard) reads with
/// GetShardIterator/GetRecords, gathers batches, and hands them to one warm function process. Progress is
/// checkpointed per shard after each batch; Kinesis failures (the emulator restarting, expired iterators) back off
/// and re-create the iterator from the checkpoint, so nothing is skipped. Delivery is at least once.
/// </summary>
public sealed class EventSourceMappingRunner(
    KinesisClient kinesis,
    RunOptions options,
    Func<CancellationToken, Task<ILocalFunction>> startFunction,
    Action<string> log) : IDisposable
{
    private readonly SemaphoreSlim _hostLock = new(1, 1);
    private readonly CancellationTokenSource _softStop = new();
    private ILocalFunction? _host;
    private long _lastActivity = Stopwatch.GetTimestamp();
    private int _inFlight;
    private string _streamArn = "";

    public RunStats Stats { get; } = new();

    public CheckpointStore? Checkpoint { get; private set; }

    public FailureLog? Failures { get; private set; }

    /// <summary>Why the run ended: "until-idle", "max-records", "shards closed".</summary>
    public string StopReason { get; private set; } = "shards closed";

    /// <summary>Asks the shard loops to stop after the batch in hand (in-flight work is finished and checkpointed).</summary>
    public void RequestStop(string reason)
    {
        if (!_softStop.IsCancellationRequested)
        {
            StopReason = reason;
            _softStop.Cancel();
        }
    }

    public async Task RunAsync(Action<double>? progress, CancellationToken cancellationToken)
    {
        StreamSummary stream;
        IReadOnlyList<Shard> shards;
        try
        {
            stream = await kinesis.DescribeStreamSummaryAsync(options.Stream, cancellationToken).ConfigureAwait(false);
            shards = await kinesis.ListShardsAsync(options.Stream, cancellationToken).ConfigureAwait(false);
        }
        catch (KinesisResourceNotFoundException exception)
        {
            throw new LocalLambdaException($"The input stream '{options.Stream}' does not exist at {kinesis.Endpoint}: {exception.Message}", exception);
        }

        _streamArn = stream.StreamArn;
        Checkpoint = options.CheckpointPath is { } path ? CheckpointStore.Open(path, options.Stream) : CheckpointStore.InMemory(options.Stream);
        Failures = new FailureLog(options.FailurePath, _streamArn);
        log($"run: {shards.Count} shard(s) of {options.Stream}, batch size {options.BatchSize}, window {options.BatchingWindow.TotalSeconds:0.###} s" +
            (Checkpoint.Path is null ? "" : $", checkpoint {Checkpoint.Path}"));
        try
        {
            // Start the function before reading, so a bad configuration (init error) fails fast, not at the first record.
            await WarmHostAsync(cancellationToken).ConfigureAwait(false);
            var loops = shards.Select(shard => Task.Run(() => ConsumeShardAsync(shard.ShardId, cancellationToken), cancellationToken)).ToList();
            var all = Task.WhenAll(loops);
            while (!all.IsCompleted)
            {
                // Not the caller's token: after a cancel this keeps pacing while the shard loops wind down.
                await Task.WhenAny(all, Task.Delay(100, CancellationToken.None)).ConfigureAwait(false);
                progress?.Invoke(Stats.RecordsDone);
                if (loops.Exists(loop => loop.IsFaulted))
                {
                    // One shard hit something it cannot recover from (e.g. the function no longer starts): stop the rest too.
                    RequestStop("error");
                }

                CheckStopConditions();
            }

            await all.ConfigureAwait(false);
        }
        finally
        {
            if (_host is not null)
            {
                await _host.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public void Dispose()
    {
        _hostLock.Dispose();
        _softStop.Dispose();
    }

    private void CheckStopConditions()
    {
        if (options.MaxRecords is { } max && Stats.RecordsDone >= max)
        {
            RequestStop("max-records");
        }

        if (options.UntilIdle is { } idle && Volatile.Read(ref _inFlight) == 0
            && Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastActivity)) > idle)
        {
            RequestStop("until-idle");
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivity, Stopwatch.GetTimestamp());

    private async Task ConsumeShardAsync(string shardId, CancellationToken cancellationToken)
    {
        var delivery = new BatchDelivery((records, token) => InvokeAsync(records, shardId, token), Stats.Delivery, line => log($"shard {shardId}: {line}"))
        {
            Bisect = options.Bisect,
            MaxRetries = options.MaxRetries,
        };
        var lastDone = Checkpoint!.Get(shardId);
        (string SequenceNumber, int Attempts)? retry = null;
        string? iterator = null;
        var kinesisFailures = 0;
        while (!_softStop.IsCancellationRequested)
        {
            try
            {
                iterator ??= await NewIteratorAsync(shardId, lastDone, retry?.SequenceNumber, cancellationToken).ConfigureAwait(false);
                var (batch, next) = await GatherAsync(iterator, cancellationToken).ConfigureAwait(false);
                iterator = next;
                kinesisFailures = 0;
                if (batch.Count == 0)
                {
                    if (next is null)
                    {
                        log($"shard {shardId} is closed and fully read");
                        return;
                    }

                    continue;
                }

                if (retry is not null)
                {
                    Stats.Reread(batch.Count);
                }

                Interlocked.Increment(ref _inFlight);
                DeliveryOutcome outcome;
                try
                {
                    var prior = retry is { } again && again.SequenceNumber == batch[0].SequenceNumber ? again.Attempts : 0;
                    outcome = await delivery.DeliverAsync(batch, prior, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                    Touch();
                }

                // The failure log is written before the checkpoint passes those records: a crash in between repeats them, never loses them.
                Failures!.Append(shardId, outcome.Failed);
                if (outcome.Completed > 0)
                {
                    lastDone = batch[outcome.Completed - 1].SequenceNumber;
                    Checkpoint.Set(shardId, lastDone);
                    Stats.Done(outcome.Completed);
                }

                Stats.Batch();
                if (outcome.RetryFromSequenceNumber is { } from)
                {
                    retry = (from, outcome.RetryAttempts);
                    iterator = null;
                    log($"shard {shardId}: partial batch failure; re-reading from {from} (attempt {outcome.RetryAttempts + 1})");
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * outcome.RetryAttempts)), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    retry = null;
                    if (next is null)
                    {
                        log($"shard {shardId} is closed and fully read");
                        return;
                    }
                }

                CheckStopConditions();
            }
            catch (Exception exception) when (IsTransient(exception) && !cancellationToken.IsCancellationRequested)
            {
                // Kinesis went away (emulator restart), the iterator expired, or the stream is briefly missing: start
                // again from the checkpoint (or the pending retry point) after a backoff.
                Stats.KinesisError();
                kinesisFailures++;
                iterator = null;
                // An outage is not idleness: --until-idle must not end a run while Kinesis is restarting.
                Touch();
                var wait = TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond * 5, options.ErrorBackoff.Ticks << Math.Min(kinesisFailures - 1, 5)));
                log($"shard {shardId}: Kinesis error ({exception.GetType().Name}: {exception.Message}); retrying from the checkpoint in {wait.TotalSeconds:0.##} s");
                await SoftDelayAsync(wait, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsTransient(Exception exception) =>
        exception is KinesisException or HttpRequestException or IOException or TimeoutException;

    private Task<string> NewIteratorAsync(string shardId, string? lastDone, string? retryFrom, CancellationToken cancellationToken) =>
        retryFrom is not null
            ? kinesis.GetShardIteratorAsync(options.Stream, shardId, ShardIteratorType.AtSequenceNumber, cancellationToken, retryFrom)
            : lastDone is not null
                ? kinesis.GetShardIteratorAsync(options.Stream, shardId, ShardIteratorType.AfterSequenceNumber, cancellationToken, lastDone)
                : kinesis.GetShardIteratorAsync(options.Stream, shardId, options.StartingPosition, cancellationToken);

    /// <summary>Reads until the batch is full, the batching window has passed since the first record, or a stop is asked for.</summary>
    private async Task<(List<KinesisRecord> Batch, string? Next)> GatherAsync(string iterator, CancellationToken cancellationToken)
    {
        var batch = new List<KinesisRecord>();
        long? firstAt = null;
        string? next = iterator;
        while (next is not null)
        {
            var page = await kinesis.GetRecordsAsync(next, cancellationToken, options.BatchSize - batch.Count).ConfigureAwait(false);
            next = page.NextShardIterator;
            if (page.Records.Count > 0)
            {
                batch.AddRange(page.Records);
                Stats.Read(page.Records.Count);
                Touch();
                firstAt ??= Stopwatch.GetTimestamp();
            }

            if (batch.Count >= options.BatchSize || _softStop.IsCancellationRequested)
            {
                break;
            }

            if (firstAt is { } started)
            {
                var left = options.BatchingWindow - Stopwatch.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    break;
                }

                // A full page means more is waiting: read on without sleeping.
                if (page.Records.Count == 0)
                {
                    await SoftDelayAsync(left < options.PollInterval ? left : options.PollInterval, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (page.Records.Count == 0)
            {
                // Nothing yet: return the (fresh) iterator so the caller can check stop conditions between polls.
                await SoftDelayAsync(options.PollInterval, cancellationToken).ConfigureAwait(false);
                return (batch, next);
            }
        }

        return (batch, next);
    }

    /// <summary>Sleeps, but wakes early (without throwing) when a stop is requested.</summary>
    private async Task SoftDelayAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _softStop.Token);
        try
        {
            await Task.Delay(wait, both.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Stop requested: the caller's loop sees it.
        }
    }

    private async Task<FunctionResult> InvokeAsync(IReadOnlyList<KinesisRecord> records, string shardId, CancellationToken cancellationToken)
    {
        var payload = LambdaKinesisEvent.Build(records, shardId, _streamArn);
        var host = await WarmHostAsync(cancellationToken).ConfigureAwait(false);
        var result = await host.InvokeAsync(payload, options.FunctionTimeout, cancellationToken).ConfigureAwait(false);
        if (result.Kind is FunctionResultKind.Crash or FunctionResultKind.Timeout)
        {
            // Lambda replaces an instance that crashed or timed out; so do we, on the next invocation.
            await _hostLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (ReferenceEquals(_host, host))
                {
                    _host = null;
                    Stats.FunctionRestarted();
                    await host.DisposeAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                _hostLock.Release();
            }
        }

        return result;
    }

    private async Task<ILocalFunction> WarmHostAsync(CancellationToken cancellationToken)
    {
        await _hostLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_host is null || _host.HasExited)
            {
                if (_host is not null)
                {
                    await _host.DisposeAsync().ConfigureAwait(false);
                }

                _host = await startFunction(cancellationToken).ConfigureAwait(false);
            }

            return _host;
        }
        finally
        {
            _hostLock.Release();
        }
    }
}
