using StreamPredict.Aws.Kinesis;
using StreamPredict.Function.Observability;

namespace StreamPredict.Function.Publishing;

/// <summary>
/// PutRecords in chunks of ≤ 500 entries and ≤ 5 MiB, retrying only the entries that failed, with full-jitter
/// exponential backoff, and never starting a call or a wait that would end past <c>stopAt</c>.
/// </summary>
internal sealed class RetryingPublisher
{
    private readonly IKinesisWriter _writer;
    private readonly TimeProvider _clock;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private readonly Random _random;
    private readonly PublishPolicy _policy;
    private readonly JsonLog _log;
    private readonly List<PutRecordsEntry> _entries = new(PublishPolicy.MaxEntriesPerCall);
    private readonly List<OutgoingRecord> _pending = [];
    private readonly List<OutgoingRecord> _failed = [];

    public RetryingPublisher(IKinesisWriter writer, TimeProvider clock, Func<TimeSpan, CancellationToken, Task> delay, Random random, PublishPolicy policy, JsonLog log)
    {
        _writer = writer;
        _clock = clock;
        _delay = delay;
        _random = random;
        _policy = policy;
        _log = log;
    }

    /// <summary>
    /// Publishes <paramref name="records"/> (slices of <paramref name="buffer"/>, keys in <paramref name="keys"/>). Adds the SourceIndex of every record
    /// still unpublished at the end to <paramref name="unpublished"/>; returns how many entries were resubmitted, and whether a permanent
    /// error (<see cref="KinesisErrorClassifier"/>) stopped the stream at once.
    /// </summary>
    public async Task<(int Retried, bool PermanentError)> PublishAsync(string stream, ReadOnlyMemory<byte> buffer, PartitionKeys keys, IReadOnlyList<OutgoingRecord> records, DateTimeOffset stopAt,
        List<int> unpublished, string requestId, CancellationToken cancellationToken)
    {
        _pending.Clear();
        _pending.AddRange(records);
        var retried = 0;
        for (var attempt = 1; _pending.Count > 0; attempt++)
        {
            _failed.Clear();
            var (deadlineReached, permanent) = await PublishOnceAsync(stream, buffer, keys, stopAt, requestId, cancellationToken).ConfigureAwait(false);
            if (permanent is not null)
            {
                // Retrying cannot fix it: report everything not yet stored, at once, so nothing is lost and no time is burnt.
                _log.Error("publishing stopped: Kinesis refused the stream", requestId,
                    LogField.Of("stream", stream), LogField.Of("errorCode", permanent.Value.Code), LogField.Of("cause", permanent.Value.Message),
                    LogField.Of("count", _failed.Count), LogField.Of("attempts", attempt));
                foreach (var record in _failed)
                {
                    unpublished.Add(record.SourceIndex);
                }

                return (retried, true);
            }

            if (_failed.Count == 0)
            {
                break;
            }

            var backoff = Backoff(attempt);
            if (deadlineReached || attempt >= _policy.MaxAttempts || _clock.GetUtcNow() + backoff >= stopAt)
            {
                _log.Warn("records left unpublished", requestId,
                    LogField.Of("stream", stream), LogField.Of("count", _failed.Count), LogField.Of("attempts", attempt),
                    LogField.Of("cause", deadlineReached || attempt < _policy.MaxAttempts ? "deadline near" : "retries exhausted"));
                foreach (var record in _failed)
                {
                    unpublished.Add(record.SourceIndex);
                }

                break;
            }

            await _delay(backoff, cancellationToken).ConfigureAwait(false);
            retried += _failed.Count;
            _pending.Clear();
            _pending.AddRange(_failed);
        }

        return (retried, false);
    }

    /// <summary>
    /// One pass over <see cref="_pending"/>; failures go to <see cref="_failed"/>. DeadlineReached when the deadline stopped the pass;
    /// Permanent (code and message) when Kinesis answered an error retrying cannot fix, which ends the pass with every record left failed.
    /// </summary>
    private async Task<(bool DeadlineReached, (string Code, string Message)? Permanent)> PublishOnceAsync(string stream, ReadOnlyMemory<byte> buffer, PartitionKeys keys, DateTimeOffset stopAt, string requestId, CancellationToken cancellationToken)
    {
        var next = 0;
        while (next < _pending.Count)
        {
            var remaining = stopAt - _clock.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                AddFailed(next, _pending.Count - next);
                return (true, null);
            }

            var count = FillChunk(buffer, keys, next);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(remaining);
            try
            {
                var result = await _writer.PutRecordsAsync(stream, _entries, timeout.Token).ConfigureAwait(false);
                if (result.Records.Count != count)
                {
                    throw new InvalidOperationException($"PutRecords answered {result.Records.Count} entries for {count} sent.");
                }

                for (var i = 0; i < count; i++)
                {
                    var entry = result.Records[i];
                    if (entry.FailedPermanently)
                    {
                        AddFailed(next + i, _pending.Count - next - i);
                        return (false, (entry.ErrorCode!, entry.ErrorMessage ?? "no message"));
                    }

                    if (!entry.Succeeded)
                    {
                        _failed.Add(_pending[next + i]);
                    }
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                AddFailed(next, _pending.Count - next);
                return (true, null);
            }
            catch (KinesisException exception) when (KinesisErrorClassifier.IsPermanent(exception))
            {
                AddFailed(next, _pending.Count - next);
                return (false, (exception.ErrorCode, exception.Message));
            }
#pragma warning disable CA1031 // Any transport or service failure fails the chunk's entries; they are retried or reported, never lost.
            catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
            {
                _log.Warn("PutRecords call failed", requestId, LogField.Of("stream", stream), LogField.Of("entries", count),
                    LogField.Of("error", $"{exception.GetType().Name}: {exception.Message}"));
                AddFailed(next, count);
            }

            next += count;
        }

        return (false, null);
    }

    private int FillChunk(ReadOnlyMemory<byte> buffer, PartitionKeys keys, int start)
    {
        _entries.Clear();
        var bytes = 0;
        for (var i = start; i < _pending.Count && _entries.Count < PublishPolicy.MaxEntriesPerCall; i++)
        {
            var record = _pending[i];
            var size = record.Length + record.PartitionKey.Length;
            if (_entries.Count > 0 && bytes + size > PublishPolicy.MaxBytesPerCall)
            {
                break;
            }

            bytes += size;
            _entries.Add(new PutRecordsEntry(buffer.Slice(record.Offset, record.Length), keys.ToString(record.PartitionKey)));
        }

        return _entries.Count;
    }

    private void AddFailed(int start, int count)
    {
        for (var i = start; i < start + count; i++)
        {
            _failed.Add(_pending[i]);
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(_policy.BackoffCap.TotalMilliseconds, _policy.BackoffBase.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(_random.NextDouble() * ceiling);
    }
}
