namespace StreamPredict.Aws.Kinesis;

/// <summary>
/// Publishes batches of entries, one per stream, with PutRecords: in chunks of at most 500 entries and 5 MiB
/// (<see cref="PutRecordsLimits"/>), up to <see cref="Concurrency"/> calls in flight across all the batches, retrying
/// only the entries Kinesis failed, with the backoff of a <see cref="KinesisRetryPolicy"/>. The one PutRecords batcher:
/// the function publishes its predictions and dead letters with it, and <see cref="KinesisBatchPublisher"/> (producers)
/// is built on it.
/// </summary>
/// <remarks>
/// <para>Rounds: every pending entry of every batch is chunked and sent (⌈n/500⌉ calls when nothing fails); the entries
/// that failed wait one backoff and form the next round, until none is left or the policy's MaxAttempts is reached.</para>
/// <para>The deadline: no call and no backoff wait starts at or past <c>stopAt</c>, and a call in flight is cancelled
/// when it arrives. What is cut off is left unpublished (it may still have been written: a duplicate later, never a
/// loss).</para>
/// <para>A permanent error (<see cref="KinesisErrorClassifier"/>) stops that batch's stream at once: no further call
/// starts for it, and every entry not yet stored is left unpublished. Other streams carry on.</para>
/// <para>Every entry ends stored or in <see cref="PutRecordsBatch.Unpublished"/>. Chunks go out in entry order, but
/// concurrent calls and retries can store them out of order; callers for whom order carries meaning use one partition
/// key per ordered sequence, or a concurrency of 1.</para>
/// </remarks>
public sealed class PutRecordsBatcher
{
    /// <summary>Calls in flight at once unless configured otherwise: enough to hide a round trip of tens of ms for a 10,000-record batch.</summary>
    public const int DefaultConcurrency = 8;

    /// <summary>The most calls in flight at once a batcher takes.</summary>
    public const int MaxConcurrency = 64;

    // CancelAfter takes at most about 49 days; a later stopAt (e.g. DateTimeOffset.MaxValue) means no deadline.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(30);

    private readonly IKinesisWriter _writer;
    private readonly KinesisRetryPolicy _retryPolicy;
    private readonly TimeProvider _clock;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;

    /// <param name="retryPolicy">MaxAttempts bounds the PutRecords calls per entry; the delays are the backoff between rounds.</param>
    /// <param name="concurrency">Calls in flight at once, 1 to <see cref="MaxConcurrency"/>.</param>
    /// <param name="delay">Waits a backoff; tests pass one that only moves a manual clock.</param>
    public PutRecordsBatcher(IKinesisWriter writer, KinesisRetryPolicy retryPolicy, int concurrency = DefaultConcurrency,
        TimeProvider? clock = null, Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(retryPolicy);
        retryPolicy.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(concurrency, MaxConcurrency);
        _writer = writer;
        _retryPolicy = retryPolicy;
        Concurrency = concurrency;
        _clock = clock ?? TimeProvider.System;
        _delay = delay ?? ((wait, token) => Task.Delay(wait, _clock, token));
    }

    public int Concurrency { get; }

    /// <summary>Called (from any thread) when a whole call failed with a retryable error: stream, entries in the call, the error.</summary>
    public Action<string, int, Exception>? CallFailed { get; init; }

    /// <summary>Publishes every batch; afterwards each batch tells what was stored, what was not and why.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task PublishAsync(IReadOnlyList<PutRecordsBatch> batches, DateTimeOffset stopAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var pending = new List<int>[batches.Count];
        for (var b = 0; b < batches.Count; b++)
        {
            batches[b].Begin();
            pending[b] = [.. Enumerable.Range(0, batches[b].Entries.Count)];
        }

        for (var attempt = 1; ; attempt++)
        {
            var round = new Round(batches, pending, stopAt);
            if (round.Chunks.Count == 0)
            {
                return;
            }

            await RunBoundedAsync(round, cancellationToken).ConfigureAwait(false);
            var anyLeft = false;
            for (var b = 0; b < batches.Count; b++)
            {
                var (failed, calls, lastError, deadlineHit) = round.Collect(b);
                batches[b].Record(calls, lastError);
                if (failed.Count == 0)
                {
                    pending[b].Clear();
                }
                else if (round.PermanentError[b] is { } code)
                {
                    Finish(batches[b], pending[b], PutRecordsStop.PermanentError, failed, code);
                }
                else if (deadlineHit)
                {
                    Finish(batches[b], pending[b], PutRecordsStop.Deadline, failed);
                }
                else if (attempt >= _retryPolicy.MaxAttempts)
                {
                    Finish(batches[b], pending[b], PutRecordsStop.RetriesExhausted, failed);
                }
                else
                {
                    pending[b] = failed;
                    anyLeft = true;
                }
            }

            if (!anyLeft)
            {
                return;
            }

            var backoff = _retryPolicy.DelayBeforeRetry(attempt);
            if (_clock.GetUtcNow() + backoff >= stopAt)
            {
                for (var b = 0; b < batches.Count; b++)
                {
                    if (pending[b].Count > 0)
                    {
                        Finish(batches[b], pending[b], PutRecordsStop.Deadline, pending[b]);
                    }
                }

                return;
            }

            await _delay(backoff, cancellationToken).ConfigureAwait(false);
            for (var b = 0; b < batches.Count; b++)
            {
                batches[b].AddRetried(pending[b].Count);
            }
        }
    }

    private static void Finish(PutRecordsBatch batch, List<int> pending, PutRecordsStop stop, List<int> unpublished, string? permanentErrorCode = null)
    {
        batch.Finish(stop, unpublished, permanentErrorCode);
        pending.Clear();
    }

    /// <summary>At most <see cref="Concurrency"/> workers, each taking the next chunk until none is left.</summary>
    private async Task RunBoundedAsync(Round round, CancellationToken cancellationToken)
    {
        var next = -1;
        var workers = new Task[Math.Min(Concurrency, round.Chunks.Count)];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = WorkAsync();
        }

        await Task.WhenAll(workers).ConfigureAwait(false);

        async Task WorkAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < round.Chunks.Count)
            {
                await SendAsync(round, round.Chunks[index], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task SendAsync(Round round, Chunk chunk, CancellationToken cancellationToken)
    {
        var batch = round.Batches[chunk.Batch];
        if (Volatile.Read(ref round.PermanentError[chunk.Batch]) is not null)
        {
            chunk.FailAll();
            return;
        }

        var remaining = round.StopAt - _clock.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            chunk.FailAll();
            chunk.DeadlineHit = true;
            return;
        }

        var entries = chunk.Entries(batch.Entries);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (remaining < LongestTimer)
        {
            timeout.CancelAfter(remaining);
        }

        chunk.Called = true;
        try
        {
            var result = await _writer.PutRecordsAsync(batch.StreamName, entries, timeout.Token).ConfigureAwait(false);
            if (result.Records.Count != entries.Length)
            {
                throw new KinesisException("InvalidResponse", 200,
                    $"PutRecords answered {result.Records.Count} entries for the {entries.Length} sent to stream '{batch.StreamName}'.");
            }

            for (var i = 0; i < entries.Length; i++)
            {
                var entry = result.Records[i];
                if (entry.Succeeded)
                {
                    continue;
                }

                chunk.Fail(i);
                chunk.Error = $"{entry.ErrorCode}: {entry.ErrorMessage}";
                if (entry.FailedPermanently)
                {
                    Interlocked.CompareExchange(ref round.PermanentError[chunk.Batch], entry.ErrorCode, null);
                }
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            chunk.FailAll();
            chunk.Error = exception.Message;
            if (timeout.IsCancellationRequested && exception is OperationCanceledException)
            {
                chunk.DeadlineHit = true;
            }
            else if (KinesisErrorClassifier.IsPermanent(exception))
            {
                Interlocked.CompareExchange(ref round.PermanentError[chunk.Batch], ((KinesisException)exception).ErrorCode, null);
            }
            else
            {
                CallFailed?.Invoke(batch.StreamName, entries.Length, exception);
            }
        }
    }

    /// <summary>One round: the chunks of every batch's pending entries, and what the calls found.</summary>
    private sealed class Round
    {
        public Round(IReadOnlyList<PutRecordsBatch> batches, List<int>[] pending, DateTimeOffset stopAt)
        {
            Batches = batches;
            StopAt = stopAt;
            PermanentError = new string?[batches.Count];
            for (var b = 0; b < batches.Count; b++)
            {
                var start = 0;
                while (start < pending[b].Count)
                {
                    var count = ChunkLength(batches[b].Entries, pending[b], start);
                    Chunks.Add(new Chunk(b, pending[b], start, count));
                    start += count;
                }
            }
        }

        public IReadOnlyList<PutRecordsBatch> Batches { get; }

        public DateTimeOffset StopAt { get; }

        public List<Chunk> Chunks { get; } = [];

        /// <summary>Per batch: the code of the first permanent error, once one is seen (written by any worker).</summary>
#pragma warning disable CA1819 // Interlocked and Volatile need the array elements.
        public string?[] PermanentError { get; }
#pragma warning restore CA1819

        /// <summary>The batch's failed entries (in entry order), calls made, last error, and whether the deadline cut it.</summary>
        public (List<int> Failed, int Calls, string? LastError, bool DeadlineHit) Collect(int batch)
        {
            var failed = new List<int>();
            var calls = 0;
            string? lastError = null;
            var deadlineHit = false;
            foreach (var chunk in Chunks.Where(c => c.Batch == batch))
            {
                chunk.AddFailedTo(failed);
                calls += chunk.Called ? 1 : 0;
                lastError = chunk.Error ?? lastError;
                deadlineHit |= chunk.DeadlineHit;
            }

            return (failed, calls, lastError, deadlineHit);
        }

        /// <summary>How many pending entries from <paramref name="start"/> fit one call: ≤ 500 entries and ≤ 5 MiB (at least one).</summary>
        private static int ChunkLength(IReadOnlyList<PutRecordsEntry> entries, List<int> pending, int start)
        {
            var bytes = 0;
            var count = 0;
            while (start + count < pending.Count && count < PutRecordsLimits.MaxEntriesPerCall)
            {
                var size = PutRecordsLimits.EntryBytes(entries[pending[start + count]]);
                if (count > 0 && bytes + size > PutRecordsLimits.MaxBytesPerCall)
                {
                    break;
                }

                bytes += size;
                count++;
            }

            return count;
        }
    }

    /// <summary>Entries pending[start..start+count) of one batch, sent in one call; each chunk is touched by one worker only.</summary>
    private sealed class Chunk(int batch, List<int> pending, int start, int count)
    {
        private List<int>? _failed;
        private bool _allFailed;

        public int Batch => batch;

        public bool Called { get; set; }

        public bool DeadlineHit { get; set; }

        public string? Error { get; set; }

        public PutRecordsEntry[] Entries(IReadOnlyList<PutRecordsEntry> all)
        {
            var entries = new PutRecordsEntry[count];
            for (var i = 0; i < count; i++)
            {
                entries[i] = all[pending[start + i]];
            }

            return entries;
        }

        /// <summary>Entry <paramref name="i"/> of this chunk failed; calls come in ascending order.</summary>
        public void Fail(int i) => (_failed ??= []).Add(pending[start + i]);

        public void FailAll() => _allFailed = true;

        public void AddFailedTo(List<int> failed)
        {
            if (_allFailed)
            {
                for (var i = 0; i < count; i++)
                {
                    failed.Add(pending[start + i]);
                }
            }
            else if (_failed is not null)
            {
                failed.AddRange(_failed);
            }
        }
    }
}
