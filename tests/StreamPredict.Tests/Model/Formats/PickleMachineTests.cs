using System.Numerics;
using StreamPredict.Model;
using StreamPredict.Model.Formats.Numpy;
using StreamPredict.Model.Formats.Pickle;

namespace StreamPredict.Tests.Model.Formats;

/// <summary>The pickle machine on hand-written pickles: values, numpy arrays, and every kind of refusal.</summary>
public class PickleMachineTests
{
    [Fact]
    public void Builds_plain_values_with_the_memo()
    {
        byte[] pickle = PickleWriter.Protocol(4)
            .Op('}').Op(0x94)                                   // dict, memo 0
            .Op('(')
            .Str("ints").Op('K').Byte(7).Int(-5).Op(0x8a).Byte(2).Raw([0x00, 0x80]).Op(0x87) // 7, -5, LONG1 -32768
            .Str("big").Op(0x8a).Byte(9).Raw([1, 0, 0, 0, 0, 0, 0, 0, 1])
            .Str("float").Op('G').Raw(BitConverter.GetBytes(2.5).Reverse().ToArray())
            .Str("flags").Op(0x88).Op(0x89).Op('N').Op(0x87)
            .Str("bytes").Bytes([1, 2, 3])
            .Str("list").Op(']').Op(0x94).Op('(').Str("a").Op('h').Byte(0).Op('e') // the list holds the dict itself
            .Op('u').Stop().ToArray();

        var root = Assert.IsType<PickleDict>(PickleMachine.Load(pickle));

        Assert.True(root.TryGet("ints", out object? ints));
        Assert.Equal(new object?[] { 7L, -5L, -32768L }, ints);
        Assert.True(root.TryGet("big", out object? big));
        Assert.Equal(BigInteger.Pow(2, 64) + 1, big);
        Assert.True(root.TryGet("float", out object? number));
        Assert.Equal(2.5, number);
        Assert.True(root.TryGet("flags", out object? flags));
        Assert.Equal(new object?[] { true, false, null }, flags);
        Assert.True(root.TryGet("bytes", out object? bytes));
        Assert.Equal([1, 2, 3], Assert.IsType<PickleBytes>(bytes).Data.ToArray());
        Assert.True(root.TryGet("list", out object? list));
        Assert.Same(root, Assert.IsType<List<object?>>(list)[1]);
    }

    [Fact]
    public void Reads_a_big_endian_numpy_array_into_doubles()
    {
        byte[] data = [.. BitConverter.GetBytes(1.5).Reverse(), .. BitConverter.GetBytes(-2.25).Reverse()];
        byte[] pickle = PickleWriter.Protocol(2)
            .TextGlobal("numpy.core.multiarray", "_reconstruct").TextGlobal("numpy", "ndarray")
            .Op('K').Byte(0).Op(0x85).Bytes("b"u8).Op(0x87).Op('R')
            .Op('(').Op('K').Byte(1).Op('K').Byte(2).Op(0x85)
            .TextGlobal("numpy", "dtype").Str("f8").Op(0x89).Op(0x88).Op(0x87).Op('R')
            .Op('(').Op('K').Byte(3).Str(">").Op('N').Op('N').Op('N').Int(-1).Int(-1).Op('K').Byte(0).Op('t').Op('b')
            .Op(0x89).Bytes(data).Op('t').Op('b').Stop().ToArray();

        var array = Assert.IsType<NumpyArray>(PickleMachine.Load(pickle));

        Assert.Equal([1.5, -2.25], array.ToDoubles("test"));
        Assert.Equal("(2,)", array.ShapeText);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'(', (byte)'l', (byte)'p', (byte)'0', (byte)'\n', (byte)'.' }, "protocol 0 and 1 pickles are not supported")]
    [InlineData(new byte[] { 0x80, 0x06, (byte)'N', (byte)'.' }, "protocol 6 is not supported")]
    [InlineData(new byte[] { 0x80, 0x04, (byte)'N' }, "the pickle ends without a STOP opcode (truncated)")]
    [InlineData(new byte[] { 0x80, 0x04, 0x8c, 0x05, (byte)'a', (byte)'b', (byte)'.' }, "SHORT_BINUNICODE at byte 2: string needs 5 bytes but only 3 remain (truncated)")]
    [InlineData(new byte[] { 0x80, 0x04, (byte)'h', 0x03, (byte)'.' }, "BINGET at byte 2: memo index 3 was never written")]
    [InlineData(new byte[] { 0x80, 0x04, (byte)'R', (byte)'.' }, "REDUCE at byte 2: the stack is empty here")]
    [InlineData(new byte[] { 0x80, 0x04, (byte)'N', (byte)'N', (byte)'.' }, "STOP with 2 values")]
    [InlineData(new byte[] { 0x80, 0x04, (byte)'N', (byte)'t', (byte)'.' }, "TUPLE at byte 3: no MARK to pop to")]
    [InlineData(new byte[] { 0x80, 0x04, (byte)'N', (byte)'N', (byte)'R', (byte)'.' }, "REDUCE at byte 4: calls None, which is not a class or function")]
    [InlineData(new byte[] { 0x80, 0x05, 0x97, (byte)'.' }, "NEXT_BUFFER at byte 2: out-of-band buffers")]
    [InlineData(new byte[] { 0x80, 0x04, 0xff, (byte)'.' }, "unknown opcode 0xff at byte 2: not a pickle opcode")]
    [InlineData(new byte[] { 0x80, 0x04, (byte)'I', (byte)'1', (byte)'\n', (byte)'.' }, "INT at byte 2: protocol 0 text opcodes are not supported")]
    [InlineData(new byte[] { 0x80, 0x04, 0x8c, 0x02, 0xc3, 0x28, (byte)'.' }, "SHORT_BINUNICODE at byte 2: string is not valid UTF-8")]
    [InlineData(new byte[] { 0x80, 0x04, 0x8e, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, (byte)'.' }, "bytes length says 9223372036854775807 bytes follow but only 1 remain")]
    public void Corrupt_pickles_are_refused_with_the_opcode_its_offset_and_what_was_expected(byte[] pickle, string expected)
    {
        var error = Assert.Throws<ModelLoadException>(() => PickleMachine.Load(pickle));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused()
    {
        PickleWriter writer = PickleWriter.Protocol(4);
        for (int i = 0; i <= PickleMachine.MaxNesting; i++)
        {
            writer.Op('(');
        }

        var error = Assert.Throws<ModelLoadException>(() => PickleMachine.Load(writer.Stop().ToArray()));

        Assert.Contains($"more than {PickleMachine.MaxNesting} nested MARKs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pickle_over_the_size_limit_is_refused_before_it_is_read()
    {
        byte[] huge = new byte[PickleMachine.MaxBytes + 1];
        huge[0] = 0x80;
        huge[1] = 4;

        var error = Assert.Throws<ModelLoadException>(() => PickleMachine.Load(huge));

        Assert.Contains("over the 256 MiB limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_numpy_array_whose_data_does_not_fit_its_shape_is_refused()
    {
        byte[] pickle = PickleWriter.Protocol(4)
            .Global("numpy.core.numeric", "_frombuffer").Op('(')
            .Bytes(new byte[12]).Global("numpy", "dtype").Str("f8").Op(0x89).Op(0x88).Op(0x87).Op('R')
            .Op('K').Byte(2).Op(0x85).Str("C").Op('t').Op('R').Stop().ToArray();

        var error = Assert.Throws<ModelLoadException>(() => PickleMachine.Load(pickle));

        Assert.Contains("a numpy array of shape (2,) and dtype =f8 needs 16 bytes of data, found 12", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_size_dtype_cannot_claim_a_huge_array()
    {
        byte[] pickle = PickleWriter.Protocol(4)
            .Global("numpy.core.numeric", "_frombuffer").Op('(')
            .Bytes([]).Global("numpy", "dtype").Str("f").Op(0x89).Op(0x88).Op(0x87).Op('R')
            .Int(int.MaxValue).Op(0x85).Str("C").Op('t').Op('R').Stop().ToArray();

        var error = Assert.Throws<ModelLoadException>(() => PickleMachine.Load(pickle));

        Assert.Contains("has no item size", error.Message, StringComparison.Ordinal);
    }
}
