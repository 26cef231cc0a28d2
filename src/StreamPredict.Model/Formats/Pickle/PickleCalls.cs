using System.Numerics;
using StreamPredict.Model.Formats.Numpy;

namespace StreamPredict.Model.Formats.Pickle;

/// <summary>REDUCE, NEWOBJ and BUILD: what each allowed global turns into. None of them runs anything.</summary>
internal sealed partial class PickleMachine
{
    private object? Call(object? callable, object? arguments)
    {
        if (callable is not PickleGlobal global)
        {
            throw _input.Error($"calls {Describe(callable)}, which is not a class or function");
        }

        if (arguments is not object?[] args)
        {
            throw _input.Error($"the arguments for {global} are {Describe(arguments)}, not a tuple");
        }

        switch (global.Kind)
        {
            case GlobalKind.Inert:
                return new PickleObject(global, args);
            case GlobalKind.NumpyReconstruct:
                if (args is not [PickleGlobal { Kind: GlobalKind.NumpyNdarray }, ..])
                {
                    throw _input.Error($"{global} may only rebuild a numpy.ndarray, here it gets {(args.Length > 0 ? Describe(args[0]) : "nothing")}");
                }

                return new NumpyArray();
            case GlobalKind.NumpyDtype:
                return args is [string type, ..] ? NumpyDtype.FromTypeString(type, _input)
                    : throw _input.Error($"numpy.dtype needs a type string such as 'f8', found {(args.Length > 0 ? Describe(args[0]) : "nothing")}");
            case GlobalKind.NumpyScalar:
                return NumpyScalar(args);
            case GlobalKind.NumpyFromBuffer:
                return NumpyArray.FromBuffer(args, _input);
            case GlobalKind.CodecsEncode:
            case GlobalKind.Bytearray when args is [string, string]:
                return args is [string text, string encoding] && encoding.ToUpperInvariant() is "LATIN1" or "LATIN-1"
                    ? new PickleBytes(Latin1Bytes(text))
                    : throw _input.Error($"{global} is only read for (str, 'latin1'), as protocol 2 writes bytes");
            case GlobalKind.Bytearray:
                return args switch
                {
                    [] => new PickleBytes(ReadOnlyMemory<byte>.Empty),
                    [PickleBytes bytes] => bytes,
                    _ => throw _input.Error($"bytearray() is only read from bytes, found {Describe(args[0])}"),
                };
            case GlobalKind.Set or GlobalKind.FrozenSet:
                var set = new PickleSet();
                if (args is [List<object?> items])
                {
                    set.Items.AddRange(items);
                }
                else if (args.Length != 0)
                {
                    throw _input.Error($"{global} is only read from a list of items");
                }

                return set;
            case GlobalKind.OrderedDict:
                return args.Length == 0 ? new PickleDict() : throw _input.Error("collections.OrderedDict is only read empty, then filled by SETITEMS");
            default:
                throw _input.Error($"{global} is kept only as a value here; the pickle cannot call it");
        }
    }

    private object NewObject(object? type, object? arguments)
    {
        if (type is not PickleGlobal { Kind: GlobalKind.Inert or GlobalKind.OrderedDict } global)
        {
            throw _input.Error($"creates an instance of {Describe(type)}, which is not an allowed class");
        }

        if (arguments is not object?[] args)
        {
            throw _input.Error($"the arguments for {global} are {Describe(arguments)}, not a tuple");
        }

        return global.Kind == GlobalKind.OrderedDict ? new PickleDict() : new PickleObject(global, args);
    }

    private void Build(object? target, object? state)
    {
        switch (target)
        {
            case NumpyArray array:
                array.SetState(state, _input);
                break;
            case NumpyDtype dtype:
                dtype.SetState(state, _input);
                break;
            case PickleObject instance when instance.State is null:
                instance.State = state;
                break;
            case PickleObject { State: PickleDict existing } when state is PickleDict more:
                existing.SetAll(more);
                break;
            default:
                throw _input.Error($"sets the state of {Describe(target)}, which takes none here");
        }
    }

    // numpy.core.multiarray.scalar(dtype, bytes): a numpy scalar such as LinearRegression's intercept_ (numpy.float64).
    private object? NumpyScalar(object?[] args)
    {
        if (args is [NumpyDtype { Kind: 'O' }, var item])
        {
            return item;
        }

        if (args is not [NumpyDtype dtype, PickleBytes bytes] || bytes.Data.Length != dtype.ItemSize)
        {
            throw _input.Error("a numpy scalar needs (dtype, the dtype's bytes)");
        }

        var array = new NumpyArray();
        array.SetState(new object?[] { 1L, Array.Empty<object?>(), dtype, false, bytes }, _input);
        return dtype.Kind switch
        {
            'f' when dtype.ItemSize is 4 or 8 => array.ToDoubles("numpy scalar")[0],
            'b' => array.ToInt64s("numpy scalar")[0] != 0,
            'i' or 'u' => array.ToInt64s("numpy scalar")[0],
            _ => throw _input.Error($"numpy scalars of {dtype} are not supported"),
        };
    }

    private byte[] Latin1Bytes(string text)
    {
        byte[] bytes = new byte[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            bytes[i] = text[i] <= 0xff ? (byte)text[i] : throw _input.Error("a latin1 string holds a character above U+00FF");
        }

        return bytes;
    }

    /// <summary>A short description of a value for error messages.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "None",
        bool => "a bool",
        long or BigInteger => "an int",
        double => "a float",
        string text => text.Length <= 40 ? $"the str '{text}'" : $"a str of {text.Length} characters",
        object?[] tuple => $"a tuple of {tuple.Length}",
        List<object?> list => $"a list of {list.Count}",
        PickleDict dict => $"a dict of {dict.Count}",
        PickleSet => "a set",
        PickleBytes bytes => $"bytes ({bytes.Data.Length})",
        NumpyArray array => $"a numpy array of shape {array.ShapeText}",
        NumpyDtype dtype => $"the numpy dtype {dtype}",
        PickleGlobal global => $"the global {global}",
        PickleObject instance => instance.ToString(),
        _ => value.GetType().Name,
    };
}
