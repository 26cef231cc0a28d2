
namespace StreamPredict.Data.Tlc;

/// <summary>
/// Consecutive rows of one file (at most 65,536: a slice of a parquet row group, or a run of CSV lines), in a pooled buffer: dispose it when done
/// so that memory stays bounded by the chunks in flight, whatever the file's size.
/// </summary>
public sealed class TlcTripChunk : IDisposable
{
    private TlcTrip[]? _trips;

    internal TlcTripChunk(long firstRowIndex, int capacity)
    {
        FirstRowIndex = firstRowIndex;
        _trips = TlcBuffers.Pool<TlcTrip>().Rent(Math.Max(capacity, 1));
    }

    /// <summary>The 0-based position of the first row in the file (row groups and lines counted together).</summary>
    public long FirstRowIndex { get; }

    public int Count { get; internal set; }

    public Span<TlcTrip> Trips => Buffer.AsSpan(0, Count);

    internal TlcTrip[] Buffer => _trips ?? throw new ObjectDisposedException(nameof(TlcTripChunk));

    public void Dispose()
    {
        if (_trips is { } trips)
        {
            _trips = null;
            TlcBuffers.Pool<TlcTrip>().Return(trips);
        }
    }
}
