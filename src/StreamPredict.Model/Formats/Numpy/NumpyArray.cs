using System.Buffers.Binary;
using System.Runtime.InteropServices;
using StreamPredict.Model.Formats.Pickle;

namespace StreamPredict.Model.Formats.Numpy;

/// <summary>
/// A numpy array as pickled: _reconstruct(ndarray, (0,), b'b') then BUILD with (version, shape, dtype, is_fortran, data),
/// or, in protocol 5, _frombuffer(buffer, dtype, shape, order). The raw bytes stay a slice of the input until a
/// converter asks for typed values, which it gets in one copy, never boxed element by element.
/// </summary>
internal sealed class NumpyArray
{
    /// <summary>Until BUILD fills it in, what numpy's _reconstruct(ndarray, (0,), b'b') makes: an empty int8 array.</summary>
    public NumpyDtype Dtype { get; private set; } = NumpyDtype.Empty;

    public long[] Shape { get; private set; } = [0];

    public bool IsFortranOrder { get; private set; }

    public ReadOnlyMemory<byte> Data { get; private set; }

    /// <summary>The elements of an object array (dtype 'O'), in memory order.</summary>
    public List<object?>? Objects { get; private set; }

    public long Length { get; private set; }

    public void SetState(object? state, PickleInput input)
    {
        if (state is not object?[] items || items.Length is not (4 or 5))
        {
            throw input.Error($"a numpy array's state must be (version, shape, dtype, is_fortran, data), found {PickleMachine.Describe(state)}");
        }

        int first = items.Length - 4;
        if (items[first + 1] is not NumpyDtype dtype)
        {
            throw input.Error($"a numpy array's dtype is {PickleMachine.Describe(items[first + 1])}, not a numpy dtype");
        }

        if (items[first + 2] is not bool fortran)
        {
            throw input.Error($"a numpy array's is_fortran flag is {PickleMachine.Describe(items[first + 2])}, not a bool");
        }

        Set(dtype, ReadShape(items[first], input), fortran, items[first + 3], input);
    }

    public static NumpyArray FromBuffer(object?[] arguments, PickleInput input)
    {
        if (arguments is not [PickleBytes buffer, NumpyDtype dtype, var shape, string order])
        {
            throw input.Error("numpy's _frombuffer expects (buffer, dtype, shape, order)");
        }

        if (order is not ("C" or "F"))
        {
            throw input.Error($"numpy's _frombuffer order is '{order}', not 'C' or 'F'");
        }

        var array = new NumpyArray();
        array.Set(dtype, ReadShape(shape, input), order == "F", buffer, input);
        return array;
    }

    private void Set(NumpyDtype dtype, long[] shape, bool fortran, object? data, PickleInput input)
    {
        long count = 1;
        foreach (long extent in shape)
        {
            count = extent <= int.MaxValue && count <= int.MaxValue / Math.Max(extent, 1) ? count * extent
                : throw input.Error($"numpy array shape {ShapeToText(shape)} is too large");
        }

        Dtype = dtype;
        Shape = shape;
        IsFortranOrder = fortran;
        Length = count;
        if (dtype.Kind == 'O')
        {
            Objects = data is List<object?> objects && objects.Count == count ? objects
                : throw input.Error($"an object array of {count} elements needs a list of {count} items, found {PickleMachine.Describe(data)}");
            return;
        }

        if (dtype.ItemSize <= 0)
        {
            // A zero-size element would let a tiny pickle claim billions of elements.
            throw input.Error($"numpy dtype {dtype} has no item size");
        }

        if (data is not PickleBytes bytes)
        {
            throw input.Error($"a numpy array's data is {PickleMachine.Describe(data)}, not bytes");
        }

        if (bytes.Data.Length != count * dtype.ItemSize)
        {
            throw input.Error($"a numpy array of shape {ShapeToText(shape)} and dtype {dtype} needs {count * dtype.ItemSize} bytes of data, found {bytes.Data.Length}");
        }

        Data = bytes.Data;
    }

    private static long[] ReadShape(object? shape, PickleInput input)
    {
        if (shape is not object?[] extents)
        {
            throw input.Error($"a numpy array's shape is {PickleMachine.Describe(shape)}, not a tuple");
        }

        long[] result = new long[extents.Length];
        for (int i = 0; i < extents.Length; i++)
        {
            result[i] = extents[i] is long extent and >= 0 ? extent
                : throw input.Error($"a numpy array's shape has {PickleMachine.Describe(extents[i])} where a size belongs");
        }

        return result;
    }

    public string ShapeText => ShapeToText(Shape);

    private static string ShapeToText(long[] shape) => $"({string.Join(", ", shape)}{(shape.Length == 1 ? "," : "")})";

    /// <summary>All elements as float64, in memory order. Floats, integers and bools convert; anything else is refused.</summary>
    public double[] ToDoubles(string what)
    {
        ReadOnlySpan<byte> data = Data.Span;
        int size = Dtype.ItemSize;
        double[] result = new double[Length];
        bool swap = Dtype.IsLittleEndian != BitConverter.IsLittleEndian;
        switch (Dtype.Kind, size)
        {
            case ('f', 8) when !swap:
                MemoryMarshal.Cast<byte, double>(data).CopyTo(result);
                return result;
            case ('f', 8):
                for (int i = 0; i < result.Length; i++)
                {
                    result[i] = BinaryPrimitives.ReadDoubleBigEndian(data.Slice(i * 8, 8));
                }

                return result;
            case ('f', 4):
                for (int i = 0; i < result.Length; i++)
                {
                    result[i] = ReadFloat(data.Slice(i * 4, 4));
                }

                return result;
            case ('i' or 'u' or 'b', _):
                for (int i = 0; i < result.Length; i++)
                {
                    result[i] = ReadInteger(data.Slice(i * size, size), Dtype);
                }

                return result;
            default:
                throw new ModelLoadException($"{what} is a numpy array of {Dtype}, not of numbers");
        }
    }

    /// <summary>All elements as int64, in memory order (integer and bool dtypes).</summary>
    public long[] ToInt64s(string what)
    {
        if (Dtype.Kind is not ('i' or 'u' or 'b'))
        {
            throw new ModelLoadException($"{what} is a numpy array of {Dtype}, not of integers");
        }

        ReadOnlySpan<byte> data = Data.Span;
        int size = Dtype.ItemSize;
        long[] result = new long[Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = ReadInteger(data.Slice(i * size, size), Dtype);
        }

        return result;
    }

    /// <summary>One numeric field of every record, e.g. the "threshold" of every tree node.</summary>
    public double[] FieldAsDoubles(string field, string what)
    {
        NumpyField column = RequireField(field, what);
        ReadOnlySpan<byte> data = Data.Span;
        double[] result = new double[Length];
        for (int i = 0; i < result.Length; i++)
        {
            ReadOnlySpan<byte> element = data.Slice((i * Dtype.ItemSize) + column.Offset, column.Type.ItemSize);
            result[i] = column.Type.Kind switch
            {
                'f' when column.Type.ItemSize == 8 => column.Type.IsLittleEndian
                    ? BinaryPrimitives.ReadDoubleLittleEndian(element)
                    : BinaryPrimitives.ReadDoubleBigEndian(element),
                'f' when column.Type.ItemSize == 4 => ReadFloat(element, column.Type),
                'i' or 'u' or 'b' => ReadInteger(element, column.Type),
                _ => throw new ModelLoadException($"{what} field '{field}' is {column.Type}, not a number"),
            };
        }

        return result;
    }

    public long[] FieldAsInt64s(string field, string what)
    {
        NumpyField column = RequireField(field, what);
        if (column.Type.Kind is not ('i' or 'u' or 'b'))
        {
            throw new ModelLoadException($"{what} field '{field}' is {column.Type}, not an integer");
        }

        ReadOnlySpan<byte> data = Data.Span;
        long[] result = new long[Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = ReadInteger(data.Slice((i * Dtype.ItemSize) + column.Offset, column.Type.ItemSize), column.Type);
        }

        return result;
    }

    private NumpyField RequireField(string field, string what) => Dtype.Field(field)
        ?? throw new ModelLoadException($"{what} is a numpy array of {Dtype}, which has no field '{field}'");

    private float ReadFloat(ReadOnlySpan<byte> element) => ReadFloat(element, Dtype);

    private static float ReadFloat(ReadOnlySpan<byte> element, NumpyDtype type) => type.IsLittleEndian
        ? BinaryPrimitives.ReadSingleLittleEndian(element)
        : BinaryPrimitives.ReadSingleBigEndian(element);

    /// <summary>A signed, unsigned or bool element of 1, 2, 4 or 8 bytes (uint64 past long.MaxValue is refused by callers' range checks).</summary>
    public static long ReadInteger(ReadOnlySpan<byte> element, NumpyDtype type)
    {
        bool little = type.IsLittleEndian;
        bool signed = type.Kind == 'i';
        return element.Length switch
        {
            1 => signed ? (sbyte)element[0] : element[0],
            2 => signed
                ? little ? BinaryPrimitives.ReadInt16LittleEndian(element) : BinaryPrimitives.ReadInt16BigEndian(element)
                : little ? BinaryPrimitives.ReadUInt16LittleEndian(element) : BinaryPrimitives.ReadUInt16BigEndian(element),
            4 => signed
                ? little ? BinaryPrimitives.ReadInt32LittleEndian(element) : BinaryPrimitives.ReadInt32BigEndian(element)
                : little ? BinaryPrimitives.ReadUInt32LittleEndian(element) : BinaryPrimitives.ReadUInt32BigEndian(element),
            8 => little ? BinaryPrimitives.ReadInt64LittleEndian(element) : BinaryPrimitives.ReadInt64BigEndian(element),
            _ => throw new ModelLoadException($"numpy integers of {element.Length} bytes are not supported"),
        };
    }
}
