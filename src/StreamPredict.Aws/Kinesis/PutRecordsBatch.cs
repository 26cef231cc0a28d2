namespace StreamPredict.Aws.Kinesis;

/// <summary>Why <see cref="PutRecordsBatcher"/> left entries of a batch unpublished.</summary>
public enum PutRecordsStop
{
    /// <summary>Every entry was stored.</summary>
    None,

    /// <summary>The next call or wait would have started past the deadline, or a call was cut off by it.</summary>
    Deadline,

    /// <summary>Entries still failed (throttled, 5xx, network) after the retry policy's last attempt.</summary>
    RetriesExhausted,

    /// <summary>Kinesis answered an error no retry can fix (<see cref="KinesisErrorClassifier"/>); publishing stopped at once.</summary>
    PermanentError,
}

/// <summary>One stream's entries for <see cref="PutRecordsBatcher"/>, and, once published, what became of them.</summary>
public sealed class PutRecordsBatch
{
    private readonly List<int> _unpublished = [];

    public PutRecordsBatch(string streamName, IReadOnlyList<PutRecordsEntry> entries)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamName);
        ArgumentNullException.ThrowIfNull(entries);
        StreamName = streamName;
        Entries = entries;
    }

    public string StreamName { get; }

    public IReadOnlyList<PutRecordsEntry> Entries { get; }

    /// <summary>Indices into <see cref="Entries"/> of the entries not stored, ascending; empty when all were stored.</summary>
    public IReadOnlyList<int> Unpublished => _unpublished;

    /// <summary>Entries stored by Kinesis.</summary>
    public int Published => Entries.Count - _unpublished.Count;

    /// <summary>PutRecords calls made for this batch (one per chunk when nothing fails).</summary>
    public int Calls { get; private set; }

    /// <summary>Entries sent again after Kinesis failed them (throttled, or their whole call failed).</summary>
    public int Retried { get; private set; }

    public PutRecordsStop Stop { get; private set; }

    /// <summary>The last failure seen: "ErrorCode: message" for an entry, the exception's message for a call.</summary>
    public string? LastError { get; private set; }

    /// <summary>With <see cref="PutRecordsStop.PermanentError"/>: the AWS error code, e.g. ResourceNotFoundException.</summary>
    public string? PermanentErrorCode { get; private set; }

    internal void Begin()
    {
        _unpublished.Clear();
        Calls = Retried = 0;
        Stop = PutRecordsStop.None;
        LastError = PermanentErrorCode = null;
    }

    internal void Record(int calls, string? lastError)
    {
        Calls += calls;
        LastError = lastError ?? LastError;
    }

    internal void AddRetried(int count) => Retried += count;

    internal void Finish(PutRecordsStop stop, List<int> unpublished, string? permanentErrorCode = null)
    {
        Stop = stop;
        PermanentErrorCode = permanentErrorCode;
        _unpublished.AddRange(unpublished);
    }
}
