using System.Buffers;

namespace StreamPredict.Aws.Lambda.Events;

/// <summary>The Records array, held in a pooled array so that a 10,000-record batch does not grow a List.</summary>
public sealed class KinesisRecordList : IDisposable
{
    private KinesisEventRecord[] _items = [];

    public int Count { get; private set; }

    /// <summary>
    /// The bytes every <see cref="Utf8Slice"/> of these records points into: the event itself or, when a value was
    /// written with JSON escapes, a copy of it with the unescaped values appended.
    /// </summary>
    public ReadOnlyMemory<byte> Text { get; set; }

    public ref readonly KinesisEventRecord this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            return ref _items[index];
        }
    }

    public void Add(in KinesisEventRecord record)
    {
        if (Count == _items.Length)
        {
            var larger = ArrayPool<KinesisEventRecord>.Shared.Rent(Math.Max(64, _items.Length * 2));
            _items.AsSpan(0, Count).CopyTo(larger);
            Return();
            _items = larger;
        }

        _items[Count++] = record;
    }

    public void Dispose()
    {
        Return();
        _items = [];
        Count = 0;
    }

    private void Return()
    {
        if (_items.Length > 0)
        {
            // Records hold no references, so the array needs no clearing.
            ArrayPool<KinesisEventRecord>.Shared.Return(_items);
        }
    }
}
