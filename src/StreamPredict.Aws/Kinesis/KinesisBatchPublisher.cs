using StreamPredict.Aws.Kinesis.Aggregation;

namespace StreamPredict.Aws.Kinesis;

/// <summary>
/// Buffers records for one stream and sends them with PutRecords in batches of at most 500 entries and 5 MiB
/// (<see cref="PutRecordsLimits"/>), through <see cref="PutRecordsBatcher"/>: only the entries Kinesis failed are sent
/// again, with backoff, until each one is stored or the retry budget is spent. With <c>aggregate</c>, user records are
/// packed into KPL aggregated records (<see cref="AggregatedRecordBuilder"/>, 50 KiB each) before batching.
/// </summary>
/// <remarks>
/// Not thread-safe: one publisher per producing loop. Add flushes when the pending batch is full, and a flush
/// finishes (retries included) before Add returns, so records of one partition key keep their order.
/// </remarks>
public sealed class KinesisBatchPublisher
{
    // Magic, MD5 and the protobuf keys and lengths around one record, generously.
    private const int AggregateOverhead = 64;

    private readonly PutRecordsBatcher _batcher;
    private readonly List<PutRecordsEntry> _pending = [];
    private readonly List<int> _pendingUserRecords = []; // per pending entry: the user records it carries (1, or an aggregate's count)
    private readonly AggregatedRecordBuilder? _aggregate;
    private int _pendingBytes;

    /// <param name="retryPolicy">Backoff between re-sends of failed entries; MaxAttempts bounds the PutRecords calls per entry (default 10).</param>
    /// <param name="aggregate">Pack the records into KPL aggregated records, as the Kinesis Producer Library does.</param>
    public KinesisBatchPublisher(IKinesisWriter writer, string streamName, KinesisRetryPolicy? retryPolicy = null, bool aggregate = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentException.ThrowIfNullOrWhiteSpace(streamName);
        StreamName = streamName;
        // One call at a time: a flush is at most one call's worth of records, and order within a key is kept.
        _batcher = new PutRecordsBatcher(writer, retryPolicy ?? new KinesisRetryPolicy { MaxAttempts = 10 }, concurrency: 1);
        _aggregate = aggregate ? new AggregatedRecordBuilder() : null;
    }

    public string StreamName { get; }

    /// <summary>Records Kinesis has accepted (user records, when aggregating).</summary>
    public long Sent { get; private set; }

    /// <summary>Kinesis records accepted: <see cref="Sent"/>, or the aggregated records that carried them.</summary>
    public long KinesisRecordsSent { get; private set; }

    public long PutRecordsCalls { get; private set; }

    /// <summary>Entries Kinesis failed (e.g. ProvisionedThroughputExceeded) that were sent again.</summary>
    public long Resent { get; private set; }

    /// <summary>Kinesis records waiting to be sent, an aggregate still being filled counting as one.</summary>
    public int Pending => _pending.Count + (_aggregate is { Count: > 0 } ? 1 : 0);

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

        if (_aggregate is null)
        {
            await AddEntryAsync(entry, 1, cancellationToken).ConfigureAwait(false);
        }
        else if (size + AggregateOverhead > AggregatedRecordBuilder.DefaultMaxBytes)
        {
            // Too big to share an aggregate: sent as a plain record, as the KPL does, after what was added before it.
            await SealAggregateAsync(cancellationToken).ConfigureAwait(false);
            await AddEntryAsync(entry, 1, cancellationToken).ConfigureAwait(false);
        }
        else if (!_aggregate.TryAdd(partitionKey, data))
        {
            await SealAggregateAsync(cancellationToken).ConfigureAwait(false);
            _aggregate.TryAdd(partitionKey, data);
        }
    }

    private async ValueTask AddEntryAsync(PutRecordsEntry entry, int userRecords, CancellationToken cancellationToken)
    {
        var size = PutRecordsLimits.EntryBytes(entry);
        if (_pending.Count == PutRecordsLimits.MaxEntriesPerCall || _pendingBytes + size > PutRecordsLimits.MaxBytesPerCall)
        {
            await FlushPendingAsync(cancellationToken).ConfigureAwait(false);
        }

        _pending.Add(entry);
        _pendingUserRecords.Add(userRecords);
        _pendingBytes += size;
    }

    /// <summary>The aggregate being filled becomes one pending entry, keyed by its first user record's partition key.</summary>
    private async ValueTask SealAggregateAsync(CancellationToken cancellationToken)
    {
        if (_aggregate is { Count: > 0 })
        {
            var count = _aggregate.Count;
            var key = _aggregate.PartitionKey!;
            await AddEntryAsync(new PutRecordsEntry(_aggregate.Build(), key), count, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends everything pending. Throws <see cref="KinesisException"/> if entries still fail after the retry budget, or at once on a permanent error.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await SealAggregateAsync(cancellationToken).ConfigureAwait(false);
        await FlushPendingAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task FlushPendingAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var batch = new PutRecordsBatch(StreamName, [.. _pending]);
        int[] userRecords = [.. _pendingUserRecords];
        _pending.Clear();
        _pendingUserRecords.Clear();
        _pendingBytes = 0;
        await _batcher.PublishAsync([batch], DateTimeOffset.MaxValue, cancellationToken).ConfigureAwait(false);
        KinesisRecordsSent += batch.Published;
        Sent += userRecords.Sum() - batch.Unpublished.Sum(index => userRecords[index]);
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
