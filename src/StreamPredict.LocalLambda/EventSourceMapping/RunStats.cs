namespace StreamPredict.LocalLambda.EventSourceMapping;

/// <summary>Counters for a run; updated from several shard loops at once.</summary>
public sealed class RunStats
{
    private long _read, _done, _reread, _kinesisErrors, _functionRestarts, _batches;

    public DeliveryStats Delivery { get; } = new();

    /// <summary>Records read from Kinesis, re-reads included.</summary>
    public long RecordsRead => Interlocked.Read(ref _read);

    /// <summary>Records whose checkpoint has passed (each counted once).</summary>
    public long RecordsDone => Interlocked.Read(ref _done);

    /// <summary>Records read again after a partial failure: the at-least-once duplicates the function may see.</summary>
    public long RecordsReread => Interlocked.Read(ref _reread);

    public long KinesisErrors => Interlocked.Read(ref _kinesisErrors);

    public long FunctionRestarts => Interlocked.Read(ref _functionRestarts);

    public long Batches => Interlocked.Read(ref _batches);

    public void Read(int count) => Interlocked.Add(ref _read, count);
    public void Done(int count) => Interlocked.Add(ref _done, count);
    public void Reread(int count) => Interlocked.Add(ref _reread, count);
    public void KinesisError() => Interlocked.Increment(ref _kinesisErrors);
    public void FunctionRestarted() => Interlocked.Increment(ref _functionRestarts);
    public void Batch() => Interlocked.Increment(ref _batches);
}
