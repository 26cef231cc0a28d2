namespace StreamPredict.Batch;

/// <summary>One month of a backfill: its result, or why it failed.</summary>
public sealed record MonthOutcome(ScoringMonth Month, ScoringResult? Result, string? Error)
{
    public bool Succeeded => Result is not null;
}

/// <summary>
/// Scores many months, several at once. A month that fails is recorded with its error and the others go on, as the
/// course's backfill loop would if each month were its own run.
/// </summary>
public static class Backfill
{
    /// <param name="runMonth">Scores one month; any exception it throws fails that month only (cancellation stops them all).</param>
    public static async Task<IReadOnlyList<MonthOutcome>> RunAsync(IReadOnlyList<ScoringMonth> months, int parallel,
        Func<ScoringMonth, CancellationToken, Task<ScoringResult>> runMonth, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(months);
        ArgumentNullException.ThrowIfNull(runMonth);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1);
        var outcomes = new MonthOutcome[months.Count];
        using var slots = new SemaphoreSlim(parallel);
        var work = months.Select(async (month, index) =>
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                outcomes[index] = new MonthOutcome(month, await runMonth(month, cancellationToken).ConfigureAwait(false), null);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                outcomes[index] = new MonthOutcome(month, null, exception.Message);
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        await Task.WhenAll(work).ConfigureAwait(false);
        return outcomes;
    }
}
