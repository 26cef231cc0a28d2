namespace StreamPredict.Aws.Kinesis;

/// <summary>
/// Buffers records for one stream and sends them with PutRecords in batches of at most 500 entries and 5 MiB
/// (<see cref="PutRecordsLimits"/>), through <see cref="PutRecordsBatcher"/>: only the entries Kinesis failed are sent
/// again, with backoff, until each one is stored or the retry budget is spent.
/// </summary>
/// <remarks>
/// Not thread-safe: one publisher per producing loop. Add flushes when the pending batch is full, and a flush
/// finishes (retries included) before Add returns, so records of one partition key keep their order.
/// </remarks>
public sealed class KinesisBatchPublisher
{
    private readonly PutRecordsBatcher _batcher;
    private readonly List<PutRecordsEntry> _pending = [];
    private int _pendingBytes;

    /// <param name="retryPolicy">Backoff between re-sends of failed entries; MaxAttempts bounds the PutRecords calls per entry (default 10).</param>
    public KinesisBatchPublisher(IKinesisWriter writer, string streamName, KinesisRetryPolicy? retryPolicy = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentException.ThrowIfNullOrWhiteSpace(streamName);
        StreamName = streamName;
        // One call at a time: a flush is at most one call's worth of records, and order within a key is kept.
        _batcher = new PutRecordsBatcher(writer, retryPolicy ?? new KinesisRetryPolicy { MaxAttempts = 10 }, concurrency: 1);
    }

    public string StreamName { get; }

    /// <summary>Records Kinesis has accepted.</summary>
    public long Sent { get; private set; }

    public long PutRecordsCalls { get; private set; }

    /// <summary>Entries Kinesis failed (e.g. ProvisionedThroughputExceeded) that were sent again.</summary>
    public long Resent { get; private set; }

    public int Pending => _pending.Count;

    /// <summary>Queues one record; sends a batch first when this record would not fit in the pending one.</summary>
    public async ValueTask AddAsync(ReadOnlyMemory<byte> data, string partitionKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(partitionKey);
        var entry = new PutRecordsEntry(data, partitionKey);
        var size = PutRecordsLimits.EntryBytes(entry);
        if (size > PutRecordsLimits.MaxRecordBytes)
        {
            throw new ArgumentException(
                $"A Kinesis record (data + partition key) is at most {PutRecordsLimits.MaxRecordBytes} bytes; this one for key '{partitionKey}' has {size}.", nameof(data));
        }

        if (_pending.Count == PutRecordsLimits.MaxEntriesPerCall || _pendingBytes + size > PutRecordsLimits.MaxBytesPerCall)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        _pending.Add(entry);
        _pendingBytes += size;
    }

    /// <summary>Sends everything pending. Throws <see cref="KinesisException"/> if entries still fail after the retry budget, or at once on a permanent error.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var batch = new PutRecordsBatch(StreamName, [.. _pending]);
        _pending.Clear();
        _pendingBytes = 0;
        await _batcher.PublishAsync([batch], DateTimeOffset.MaxValue, cancellationToken).ConfigureAwait(false);
        Sent += batch.Published;
        PutRecordsCalls += batch.Calls;
        Resent += batch.Retried;
        if (batch.Unpublished.Count > 0)
        {
            var why = batch.Stop == PutRecordsStop.PermanentError ? $"a permanent error ({batch.PermanentErrorCode})" : $"{batch.Calls} PutRecords calls";
            throw new KinesisException(batch.PermanentErrorCode ?? "PutRecordsEntriesFailed", 200,
                $"{batch.Unpublished.Count} record(s) for stream '{StreamName}' were not stored after {why}; last error {batch.LastError}.");
        }
    }
}
