using System.Runtime.CompilerServices;
using StreamPredict.Data.Tlc;
using StreamPredict.Model;

namespace StreamPredict.Batch;

/// <summary>A bad row, kept with the values it had and why it was refused.</summary>
public readonly record struct RejectedRow(long RowIndex, string Code, string Reason, TlcTrip Trip);

/// <summary>
/// One input chunk after classification and prediction: the scored rows as parallel columns (pooled), the rejected rows,
/// and the filtered count. Dispose it once written.
/// </summary>
public sealed class ScoredChunk : IDisposable
{
    private bool _disposed;

    internal ScoredChunk(long firstRowIndex, int rows)
    {
        FirstRowIndex = firstRowIndex;
        RowsIn = rows;
        RowIndex = TlcBuffers.Pool<long>().Rent(rows);
        Pickup = TlcBuffers.Pool<DateTime>().Rent(rows);
        Rides = TlcBuffers.Pool<Ride>().Rent(rows);
        ActualDuration = TlcBuffers.Pool<double>().Rent(rows);
        PredictedDuration = TlcBuffers.Pool<double>().Rent(rows);
    }

    public long FirstRowIndex { get; }

    /// <summary>Rows of the input chunk; equals <see cref="Scored"/> + <see cref="Filtered"/> + rejected.</summary>
    public int RowsIn { get; }

    public int Scored { get; internal set; }

    public int Filtered { get; internal set; }

    public List<RejectedRow> Rejected { get; } = [];

    // Columns of the scored rows, valid up to Scored.
    internal long[] RowIndex { get; }

    internal DateTime[] Pickup { get; }

    internal Ride[] Rides { get; }

    internal double[] ActualDuration { get; }

    internal double[] PredictedDuration { get; }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        TlcBuffers.Pool<long>().Return(RowIndex);
        TlcBuffers.Pool<DateTime>().Return(Pickup);
        TlcBuffers.Pool<Ride>().Return(Rides);
        TlcBuffers.Pool<double>().Return(ActualDuration);
        TlcBuffers.Pool<double>().Return(PredictedDuration);
    }

    /// <summary>Sorts every trip of <paramref name="span"/> (the features stage); predictions are filled in afterwards.</summary>
    // Optimised at its first call, like the batch's other per-row loops (see ParquetColumnDecoder.Read).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static ScoredChunk Classify(ReadOnlySpan<TlcTrip> span, long firstRowIndex, TlcTaxiType taxiType)
    {
        var chunk = new ScoredChunk(firstRowIndex, span.Length);
        var scored = 0;
        var filtered = 0;
        for (var i = 0; i < span.Length; i++)
        {
            ref readonly var trip = ref span[i];
            switch (RowClassifier.Classify(trip, taxiType, out var ride, out var code, out var reason))
            {
                case RowOutcome.Scored:
                    chunk.RowIndex[scored] = firstRowIndex + i;
                    chunk.Pickup[scored] = trip.Pickup;
                    chunk.Rides[scored] = ride;
                    chunk.ActualDuration[scored] = trip.DurationMinutes;
                    scored++;
                    break;
                case RowOutcome.Filtered:
                    filtered++;
                    break;
                default:
                    chunk.Rejected.Add(new RejectedRow(firstRowIndex + i, code!, reason!, trip));
                    break;
            }
        }

        chunk.Scored = scored;
        chunk.Filtered = filtered;
        return chunk;
    }

    /// <summary>The predict stage: the model over the scored rides, in slices across the cores when there are many.</summary>
    internal void Predict(CompiledModel model, int parallelism)
    {
        const int MinSlice = 8192;
        var slices = Math.Clamp(Scored / MinSlice, 1, Math.Max(1, parallelism));
        if (slices == 1)
        {
            model.PredictBatch(Rides.AsSpan(0, Scored), PredictedDuration.AsSpan(0, Scored));
            return;
        }

        var size = (Scored + slices - 1) / slices;
        Parallel.For(0, slices, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, slice =>
        {
            var start = slice * size;
            var length = Math.Min(size, Scored - start);
            model.PredictBatch(Rides.AsSpan(start, length), PredictedDuration.AsSpan(start, length));
        });
    }
}
