namespace StreamPredict.Aws.Kinesis;

/// <summary>
/// Buffers records for one stream and sends them with PutRecords in batches of at most 500 entries and 5 MiB,
/// re-sending only the entries Kinesis reported as failed (throttled) with backoff, until each one is stored.
/// </summary>
/// <remarks>
/// Not thread-safe: one publisher per producing loop. Order is kept per batch; a re-sent entry can land after
/// entries of a later batch with the same partition key only if the caller keeps adding while a flush retries,
/// which this class never does (Add flushes synchronously when full).
/// </remarks>
public sealed class KinesisBatchPublisher
{
    public const int MaxEntriesPerCall = 500;
    public const int MaxBytesPerCall = 5 * 1024 * 1024;
    public const int MaxRecordBytes = 1024 * 1024;

    private readonly IKinesisWriter _writer;
    private readonly KinesisRetryPolicy _retryPolicy;
    private readonly List<PutRecordsEntry> _pending = [];
    private int _pendingBytes;

    /// <param name="retryPolicy">Backoff between re-sends of failed entries; MaxAttempts bounds the PutRecords calls per entry.</param>
    public KinesisBatchPublisher(IKinesisWriter writer, string streamName, KinesisRetryPolicy? retryPolicy = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentException.ThrowIfNullOrWhiteSpace(streamName);
        _writer = writer;
        StreamName = streamName;
        _retryPolicy = retryPolicy ?? new KinesisRetryPolicy { MaxAttempts = 10 };
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
        var size = data.Length + System.Text.Encoding.UTF8.GetByteCount(partitionKey);
        if (size > MaxRecordBytes)
        {
            throw new ArgumentException(
                $"A Kinesis record (data + partition key) is at most {MaxRecordBytes} bytes; this one for key '{partitionKey}' has {size}.", nameof(data));
        }

        if (_pending.Count == MaxEntriesPerCall || _pendingBytes + size > MaxBytesPerCall)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        _pending.Add(new PutRecordsEntry(data, partitionKey));
        _pendingBytes += size;
    }

    /// <summary>Sends everything pending. Throws <see cref="KinesisException"/> if entries still fail after the retry budget.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        List<PutRecordsEntry> batch = [.. _pending];
        _pending.Clear();
        _pendingBytes = 0;
        for (var attempt = 1; batch.Count > 0; attempt++)
        {
            var result = await _writer.PutRecordsAsync(StreamName, batch, cancellationToken).ConfigureAwait(false);
            PutRecordsCalls++;
            var failed = new List<PutRecordsEntry>(result.FailedRecordCount);
            string? lastError = null;
            for (var i = 0; i < batch.Count; i++)
            {
                if (result.Records[i].Succeeded)
                {
                    Sent++;
                }
                else
                {
                    failed.Add(batch[i]);
                    lastError = $"{result.Records[i].ErrorCode}: {result.Records[i].ErrorMessage}";
                }
            }

            if (failed.Count > 0 && attempt >= _retryPolicy.MaxAttempts)
            {
                throw new KinesisException("PutRecordsEntriesFailed", 200,
                    $"{failed.Count} record(s) for stream '{StreamName}' still failed after {attempt} PutRecords attempts; last error {lastError}.");
            }

            Resent += failed.Count;
            batch = failed;
            if (failed.Count > 0)
            {
                await Task.Delay(_retryPolicy.DelayBeforeRetry(attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
