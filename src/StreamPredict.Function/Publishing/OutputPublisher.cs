using StreamPredict.Aws.Kinesis;
using StreamPredict.Function.Observability;

namespace StreamPredict.Function.Publishing;

/// <summary>
/// Publishes one invocation's predictions and dead letters together through <see cref="PutRecordsBatcher"/>, and turns
/// what it could not publish into the input records to report, with a log line saying why.
/// </summary>
internal sealed class OutputPublisher
{
    private readonly PutRecordsBatcher _batcher;
    private readonly JsonLog _log;
    private readonly List<PutRecordsEntry> _predictionEntries = [];
    private readonly List<PutRecordsEntry> _deadLetterEntries = [];
    private string? _requestId;

    public OutputPublisher(IKinesisWriter writer, PublishPolicy policy, TimeProvider clock, Func<TimeSpan, CancellationToken, Task> delay, JsonLog log)
    {
        _log = log;
        _batcher = new PutRecordsBatcher(writer, policy.Retry, policy.Concurrency, clock, delay)
        {
            CallFailed = (stream, entries, exception) => _log.Warn("PutRecords call failed", _requestId,
                LogField.Of("stream", stream), LogField.Of("entries", entries), LogField.Of("error", $"{exception.GetType().Name}: {exception.Message}")),
        };
    }

    /// <summary>
    /// Publishes the records (slices of <paramref name="buffer"/>, keys in <paramref name="keys"/>); dead letters only when
    /// <paramref name="rejectionsStream"/> is set. Adds the SourceIndex of every record left unpublished to <paramref name="unpublished"/>.
    /// </summary>
    public async Task PublishAsync(string predictionsStream, IReadOnlyList<OutgoingRecord> predictions, string? rejectionsStream, IReadOnlyList<OutgoingRecord> deadLetters,
        ReadOnlyMemory<byte> buffer, PartitionKeys keys, DateTimeOffset stopAt, List<int> unpublished, InvocationMetrics metrics, string requestId, CancellationToken cancellationToken)
    {
        _requestId = requestId;
        var predictionBatch = new PutRecordsBatch(predictionsStream, Entries(_predictionEntries, predictions, buffer, keys));
        var deadLetterBatch = rejectionsStream is null ? null : new PutRecordsBatch(rejectionsStream, Entries(_deadLetterEntries, deadLetters, buffer, keys));
        await _batcher.PublishAsync(deadLetterBatch is null ? [predictionBatch] : [predictionBatch, deadLetterBatch], stopAt, cancellationToken).ConfigureAwait(false);
        Account(predictionBatch, predictions, unpublished, metrics, requestId);
        if (deadLetterBatch is not null)
        {
            Account(deadLetterBatch, deadLetters, unpublished, metrics, requestId);
        }
    }

    private static List<PutRecordsEntry> Entries(List<PutRecordsEntry> entries, IReadOnlyList<OutgoingRecord> records, ReadOnlyMemory<byte> buffer, PartitionKeys keys)
    {
        entries.Clear();
        foreach (var record in records)
        {
            entries.Add(new PutRecordsEntry(buffer.Slice(record.Offset, record.Length), keys.ToString(record.PartitionKey)));
        }

        return entries;
    }

    private void Account(PutRecordsBatch batch, IReadOnlyList<OutgoingRecord> records, List<int> unpublished, InvocationMetrics metrics, string requestId)
    {
        metrics.Retried += batch.Retried;
        foreach (var index in batch.Unpublished)
        {
            unpublished.Add(records[index].SourceIndex);
        }

        if (batch.Stop == PutRecordsStop.PermanentError)
        {
            // Retrying cannot fix it: everything not yet stored was reported at once, so nothing is lost and no time is burnt.
            metrics.PermanentErrors++;
            _log.Error("publishing stopped: Kinesis refused the stream", requestId,
                LogField.Of("stream", batch.StreamName), LogField.Of("errorCode", batch.PermanentErrorCode), LogField.Of("cause", batch.LastError),
                LogField.Of("count", batch.Unpublished.Count), LogField.Of("calls", batch.Calls));
        }
        else if (batch.Stop != PutRecordsStop.None)
        {
            _log.Warn("records left unpublished", requestId,
                LogField.Of("stream", batch.StreamName), LogField.Of("count", batch.Unpublished.Count), LogField.Of("calls", batch.Calls),
                LogField.Of("cause", batch.Stop == PutRecordsStop.Deadline ? "deadline near" : "retries exhausted"), LogField.Of("lastError", batch.LastError));
        }
    }
}
