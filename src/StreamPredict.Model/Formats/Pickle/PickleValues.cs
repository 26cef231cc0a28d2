namespace StreamPredict.Model.Formats.Pickle;

// What the pickle machine builds. Python values map to: None → null, bool → bool, int → long (BigInteger past 64
// bits), float → double, str → string, tuple → object?[], list → List<object?>, dict → PickleDict, set → PickleSet,
// bytes and bytearray → PickleBytes, numpy arrays → NumpyArray, numpy scalars → double/long/bool.
// Nothing here can run code: an allowed class is only ever recorded as a PickleObject with its arguments and state.

/// <summary>A class or function the pickle named, already checked against <see cref="AllowedGlobals"/>.</summary>
internal sealed record PickleGlobal(string Module, string Name, GlobalKind Kind)
{
    public string FullName => $"{Module}.{Name}";

    public override string ToString() => FullName;
}

/// <summary>An instance of an allowed class: its constructor arguments and its __setstate__ state, kept as data.</summary>
internal sealed class PickleObject(PickleGlobal type, object?[] arguments)
{
    public PickleGlobal Type { get; } = type;

    public object?[] Arguments { get; } = arguments;

    /// <summary>The BUILD state: for sklearn estimators the attribute dict.</summary>
    public object? State { get; set; }

    public string ClassName => Type.Name;

    public override string ToString() => $"a {Type.FullName} object";
}

/// <summary>bytes or bytearray: a slice of the input (no copy) or decoded bytes.</summary>
internal sealed class PickleBytes(ReadOnlyMemory<byte> data)
{
    public ReadOnlyMemory<byte> Data { get; } = data;

    public override string ToString() => $"{Data.Length} bytes";
}

/// <summary>A set or frozenset; its items in pickle order.</summary>
internal sealed class PickleSet
{
    public List<object?> Items { get; } = [];
}

/// <summary>A dict in insertion order; string keys (all sklearn state uses) are indexed for lookup.</summary>
internal sealed class PickleDict
{
    private readonly List<KeyValuePair<object?, object?>> _entries = [];
    private readonly Dictionary<string, int> _byName = [];

    public int Count => _entries.Count;

    public IReadOnlyList<KeyValuePair<object?, object?>> Entries => _entries;

    public void Set(object? key, object? value)
    {
        if (key is string name)
        {
            if (_byName.TryGetValue(name, out int index))
            {
                _entries[index] = new(key, value);
                return;
            }

            _byName[name] = _entries.Count;
        }

        _entries.Add(new(key, value));
    }

    public bool TryGet(string name, out object? value)
    {
        if (_byName.TryGetValue(name, out int index))
        {
            value = _entries[index].Value;
            return true;
        }

        value = null;
        return false;
    }

    public void SetAll(PickleDict other)
    {
        foreach (var (key, value) in other._entries)
        {
            Set(key, value);
        }
    }
}
