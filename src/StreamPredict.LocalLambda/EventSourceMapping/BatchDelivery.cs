using System.Text.Json;
using StreamPredict.Aws.Kinesis;
using StreamPredict.LocalLambda.Runtime;

namespace StreamPredict.LocalLambda.EventSourceMapping;

/// <summary>
/// What became of a batch. The first <see cref="Completed"/> records are done (handled by the function, or given up
/// on and listed in <see cref="Failed"/>). When <see cref="RetryFromSequenceNumber"/> is set, the record at index
/// <see cref="Completed"/> has that sequence number and the shard must be re-read from it (AT_SEQUENCE_NUMBER).
/// </summary>
public sealed record DeliveryOutcome(int Completed, string? RetryFromSequenceNumber, int RetryAttempts, IReadOnlyList<FailedRecord> Failed)
{
    public static DeliveryOutcome Done(int count, IReadOnlyList<FailedRecord>? failed = null) => new(count, null, 0, failed ?? []);
}

/// <summary>Counters a delivery adds to.</summary>
public sealed class DeliveryStats
{
    private long _invocations, _functionErrors, _reportedItemFailures, _bisections;

    public long Invocations => Interlocked.Read(ref _invocations);
    public long FunctionErrors => Interlocked.Read(ref _functionErrors);
    public long ReportedItemFailures => Interlocked.Read(ref _reportedItemFailures);
    public long Bisections => Interlocked.Read(ref _bisections);

    public void Invoked() => Interlocked.Increment(ref _invocations);
    public void FunctionError() => Interlocked.Increment(ref _functionErrors);
    public void ItemFailures(int count) => Interlocked.Add(ref _reportedItemFailures, count);
    public void Bisected() => Interlocked.Increment(ref _bisections);
}

/// <summary>
/// Lambda's retry rules for one batch from one shard, as the event source mapping applies them:
/// <list type="bullet">
/// <item>batchItemFailures: everything before the lowest failed sequence number is done; the shard is re-read from it.
/// An itemIdentifier that is not in the batch (or an unreadable response) fails the whole batch.</item>
/// <item>a function error (error response, crash, timeout): the batch is retried; with bisect it is split in halves,
/// each delivered on its own, so one poison record ends up alone.</item>
/// <item>after <see cref="MaxRetries"/> retries of the same records, they go to the failure log and are skipped
/// (Lambda's MaximumRetryAttempts + OnFailure).</item>
/// </list>
/// </summary>
public sealed class BatchDelivery(
    Func<IReadOnlyList<KinesisRecord>, CancellationToken, Task<FunctionResult>> invoke,
    DeliveryStats stats,
    Action<string> log,
    Func<TimeSpan, CancellationToken, Task>? delay = null)
{
    private readonly Func<TimeSpan, CancellationToken, Task> _delay = delay ?? Task.Delay;

    public int MaxRetries { get; init; } = 10;

    public bool Bisect { get; init; }

    /// <param name="priorAttempts">Failed attempts already made on a batch that starts at the same record.</param>
    public async Task<DeliveryOutcome> DeliverAsync(IReadOnlyList<KinesisRecord> records, int priorAttempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var attempts = priorAttempts;
        while (true)
        {
            stats.Invoked();
            var result = await invoke(records, cancellationToken).ConfigureAwait(false);
            string failure;
            if (result.Succeeded)
            {
                if (ReadItemFailures(result.Response!, records) is not { } failedIndexes)
                {
                    failure = "the function's response is not a batch response ({\"batchItemFailures\":[...]}) or names a record outside the batch";
                }
                else if (failedIndexes.Count == 0)
                {
                    return DeliveryOutcome.Done(records.Count);
                }
                else
                {
                    stats.ItemFailures(failedIndexes.Count);
                    attempts++;
                    var lowest = failedIndexes.Min();
                    if (attempts > MaxRetries)
                    {
                        var reason = $"reported in batchItemFailures on {attempts} attempts";
                        log($"{failedIndexes.Count} record(s) still failing after {attempts} attempts: sent to the failure log");
                        return DeliveryOutcome.Done(records.Count, [.. failedIndexes.Order().Select(i => new FailedRecord(records[i], reason, attempts))]);
                    }

                    // The failed record itself has now failed `attempts` times if it heads the batch, once otherwise.
                    return new DeliveryOutcome(lowest, records[lowest].SequenceNumber, lowest == 0 ? attempts : 1, []);
                }
            }
            else
            {
                stats.FunctionError();
                failure = result.Describe();
            }

            attempts++;
            if (Bisect && records.Count > 1)
            {
                stats.Bisected();
                log($"batch of {records.Count} failed ({failure}); bisecting");
                return await DeliverHalvesAsync(records, cancellationToken).ConfigureAwait(false);
            }

            if (attempts > MaxRetries)
            {
                log($"batch of {records.Count} failed {attempts} times ({failure}): sent to the failure log");
                var reason = $"function failed on {attempts} attempts: {failure}";
                return DeliveryOutcome.Done(records.Count, [.. records.Select(record => new FailedRecord(record, reason, attempts))]);
            }

            log($"batch of {records.Count} failed ({failure}); retry {attempts} of {MaxRetries}");
            await _delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * (1 << Math.Min(attempts, 5)))), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<DeliveryOutcome> DeliverHalvesAsync(IReadOnlyList<KinesisRecord> records, CancellationToken cancellationToken)
    {
        var half = records.Count / 2;
        var left = await DeliverAsync([.. records.Take(half)], 0, cancellationToken).ConfigureAwait(false);
        if (left.RetryFromSequenceNumber is not null)
        {
            return left;
        }

        var right = await DeliverAsync([.. records.Skip(half)], 0, cancellationToken).ConfigureAwait(false);
        return new DeliveryOutcome(half + right.Completed, right.RetryFromSequenceNumber, right.RetryAttempts, [.. left.Failed, .. right.Failed]);
    }

    /// <summary>Indexes of the records named in batchItemFailures; null when the response is unreadable or names an unknown record.</summary>
    internal static List<int>? ReadItemFailures(byte[] response, IReadOnlyList<KinesisRecord> records)
    {
        try
        {
            using var document = JsonDocument.Parse(response);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Null)
            {
                return [];
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (!root.TryGetProperty("batchItemFailures", out var failures) || failures.ValueKind == JsonValueKind.Null)
            {
                return [];
            }

            if (failures.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var indexes = new List<int>();
            foreach (var failure in failures.EnumerateArray())
            {
                var id = failure.ValueKind == JsonValueKind.Object && failure.TryGetProperty("itemIdentifier", out var value) && value.ValueKind == JsonValueKind.String
                    ? value.GetString()
                    : null;
                var index = -1;
                for (var i = 0; i < records.Count && id is not null; i++)
                {
                    if (records[i].SequenceNumber == id)
                    {
                        index = i;
                        break;
                    }
                }

                if (index < 0)
                {
                    return null;
                }

                indexes.Add(index);
            }

            return [.. indexes.Distinct()];
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
