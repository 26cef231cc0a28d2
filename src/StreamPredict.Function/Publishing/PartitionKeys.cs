using System.Text;

namespace StreamPredict.Function.Publishing;

/// <summary>Where a key's UTF-8 text is in <see cref="PartitionKeys"/>.</summary>
internal readonly record struct KeyText(int Offset, int Length);

/// <summary>
/// One invocation's partition keys (ride_ids, and sequence numbers for dead letters) as UTF-8 text in one buffer,
/// plus the set of ride_ids seen, which finds duplicates. A string per record, hashed in a HashSet&lt;string&gt;, cost more
/// than predicting the ride. Strings are only made for the keys that are published (<see cref="ToString(KeyText)"/>).
/// </summary>
internal sealed class PartitionKeys
{
    private readonly HashSet<KeyText> _rideIds;
    private byte[] _text = new byte[64 * 1024];
    private int _used;

    public PartitionKeys() => _rideIds = new HashSet<KeyText>(new TextComparer(this));

    public ReadOnlySpan<byte> this[KeyText key] => _text.AsSpan(key.Offset, key.Length);

    /// <summary>Keeps a ride_id; false, keeping nothing, when this invocation already has one with the same text.</summary>
    public bool TryAddRideId(ReadOnlySpan<byte> rideId, out KeyText key)
    {
        key = Keep(rideId);
        if (_rideIds.Add(key))
        {
            return true;
        }

        _used -= key.Length;
        key = default;
        return false;
    }

    public KeyText Keep(ReadOnlySpan<byte> text)
    {
        if (_used + text.Length > _text.Length)
        {
            Array.Resize(ref _text, Math.Max(_text.Length * 2, _used + text.Length));
        }

        text.CopyTo(_text.AsSpan(_used));
        var key = new KeyText(_used, text.Length);
        _used += text.Length;
        return key;
    }

    public string ToString(KeyText key) => Encoding.UTF8.GetString(this[key]);

    public void Clear()
    {
        _used = 0;
        _rideIds.Clear();
    }

    /// <summary>Compares keys by their text, which it reads from the (growing) buffer.</summary>
    private sealed class TextComparer(PartitionKeys keys) : IEqualityComparer<KeyText>
    {
        public bool Equals(KeyText x, KeyText y) => keys[x].SequenceEqual(keys[y]);

        public int GetHashCode(KeyText obj)
        {
            var hash = default(HashCode);
            hash.AddBytes(keys[obj]);
            return hash.ToHashCode();
        }
    }
}
