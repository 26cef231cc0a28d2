using System.Buffers;
using StreamPredict.Model;

namespace StreamPredict.Web.Rides;

/// <summary>The ride_id of a ride that came as a ride event, echoed in its answer: a number's digits or a string's text.</summary>
internal sealed record RideIdText(string Text, bool IsNumber);

/// <summary>The rides of one request, in order, in pooled arrays; dispose to return them.</summary>
internal sealed class RideList : IDisposable
{
    private Ride[] _rides = ArrayPool<Ride>.Shared.Rent(16);
    private RideIdText?[]? _ids;

    public int Count { get; private set; }

    public ReadOnlySpan<Ride> Rides => _rides.AsSpan(0, Count);

    /// <summary>True when any ride came with a ride_id.</summary>
    public bool HasIds => _ids is not null;

    public RideIdText? IdAt(int index) => _ids?[index];

    public void Add(in Ride ride, RideIdText? rideId)
    {
        if (Count == _rides.Length)
        {
            var grown = ArrayPool<Ride>.Shared.Rent(Count * 2);
            Rides.CopyTo(grown);
            ArrayPool<Ride>.Shared.Return(_rides);
            _rides = grown;
        }

        if (rideId is not null || _ids is not null)
        {
            if (_ids is null || _ids.Length < _rides.Length)
            {
                Array.Resize(ref _ids, _rides.Length);
            }

            _ids[Count] = rideId;
        }

        _rides[Count++] = ride;
    }

    public void Dispose()
    {
        ArrayPool<Ride>.Shared.Return(_rides);
        _rides = [];
        Count = 0;
    }
}
