using System.Globalization;
using StreamPredict.Model.Formats.Pickle;

namespace StreamPredict.Model.Formats.Numpy;

/// <summary>One field of a record dtype (sklearn's tree node struct): its name, type and byte offset in the record.</summary>
internal sealed record NumpyField(string Name, NumpyDtype Type, int Offset);

/// <summary>
/// A numpy dtype as pickled: numpy.dtype(typestring, align, copy), then BUILD with
/// (version, byteorder, subarray, names, fields, itemsize, alignment, flags[, metadata]).
/// </summary>
internal sealed class NumpyDtype
{
    private NumpyDtype(char kind, int itemSize)
    {
        Kind = kind;
        ItemSize = itemSize;
    }

    /// <summary>int8, the dtype of the placeholder array that _reconstruct makes before BUILD gives the real one.</summary>
    public static NumpyDtype Empty { get; } = new('i', 1);

    /// <summary>numpy's kind letter: f (float), i (signed), u (unsigned), b (bool), V (record or raw), O (object), U, S, c, M, m.</summary>
    public char Kind { get; }

    public int ItemSize { get; private set; }

    /// <summary>'&lt;', '&gt;', '|' (not applicable) or '=' (native).</summary>
    public char ByteOrder { get; private set; } = '=';

    public IReadOnlyList<NumpyField>? Fields { get; private set; }

    public bool IsLittleEndian => ByteOrder switch
    {
        '<' => true,
        '>' => false,
        _ => BitConverter.IsLittleEndian,
    };

    public static NumpyDtype FromTypeString(string type, PickleInput input)
    {
        if (type.Length == 0 || !"fiubVOUScMm".Contains(type[0], StringComparison.Ordinal))
        {
            throw input.Error($"numpy dtype '{type}' is not one this reader knows");
        }

        int size = 0;
        if (type.Length > 1 && !int.TryParse(type.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out size))
        {
            throw input.Error($"numpy dtype '{type}' has no valid item size");
        }

        return new NumpyDtype(type[0], size);
    }

    public void SetState(object? state, PickleInput input)
    {
        if (state is not object?[] { Length: >= 8 } items || items[0] is not long)
        {
            throw input.Error($"a numpy dtype's state must be a tuple (version, byteorder, subarray, names, fields, itemsize, alignment, flags), found {PickleMachine.Describe(state)}");
        }

        ByteOrder = items[1] is string { Length: 1 } order && "<>|=".Contains(order[0], StringComparison.Ordinal)
            ? order[0]
            : throw input.Error($"a numpy dtype's byte order must be one of < > | =, found {PickleMachine.Describe(items[1])}");
        if (items[2] is not null)
        {
            throw input.Error("numpy sub-array dtypes are not supported");
        }

        if (items[5] is long itemSize and > 0)
        {
            ItemSize = itemSize <= int.MaxValue ? (int)itemSize : throw input.Error($"numpy dtype item size {itemSize} is too large");
        }

        if (items[3] is null)
        {
            return;
        }

        if (items[3] is not object?[] names || items[4] is not PickleDict fields)
        {
            throw input.Error("a record dtype needs a tuple of names and a dict of fields");
        }

        var list = new List<NumpyField>(names.Length);
        foreach (object? name in names)
        {
            if (name is not string field || !fields.TryGet(field, out object? entry)
                || entry is not object?[] { Length: >= 2 } pair || pair[0] is not NumpyDtype type || pair[1] is not long offset
                || offset < 0 || offset + type.ItemSize > ItemSize)
            {
                throw input.Error($"record dtype field {PickleMachine.Describe(name)} has no valid (dtype, offset) inside its {ItemSize}-byte record");
            }

            list.Add(new NumpyField(field, type, (int)offset));
        }

        Fields = list;
    }

    public NumpyField? Field(string name) => Fields?.FirstOrDefault(f => f.Name == name);

    public override string ToString() => Fields is null
        ? $"{ByteOrder}{Kind}{ItemSize}"
        : $"[{string.Join(", ", Fields.Select(f => $"('{f.Name}', {f.Type})"))}]";
}
