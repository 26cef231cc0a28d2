using System.Buffers.Binary;
using System.Text;

namespace StreamPredict.Tests.Model.Formats;

/// <summary>Writes pickle opcodes by hand, for tests that need exact bytes (hostile, corrupt or minimal pickles).</summary>
internal sealed class PickleWriter
{
    private readonly List<byte> _bytes = [];

    public static PickleWriter Protocol(int protocol) => new PickleWriter().Op(0x80).Byte((byte)protocol);

    public PickleWriter Op(byte opcode) => Byte(opcode);

    public PickleWriter Op(char opcode) => Byte((byte)opcode);

    public PickleWriter Byte(byte value)
    {
        _bytes.Add(value);
        return this;
    }

    public PickleWriter Raw(ReadOnlySpan<byte> bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public PickleWriter Text(string text) => Raw(Encoding.UTF8.GetBytes(text));

    /// <summary>SHORT_BINUNICODE.</summary>
    public PickleWriter Str(string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        return Op(0x8c).Byte((byte)utf8.Length).Raw(utf8);
    }

    /// <summary>BININT.</summary>
    public PickleWriter Int(int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return Op('J').Raw(bytes);
    }

    /// <summary>SHORT_BINBYTES, or BINBYTES when longer than 255.</summary>
    public PickleWriter Bytes(ReadOnlySpan<byte> data)
    {
        if (data.Length < 256)
        {
            return Op('C').Byte((byte)data.Length).Raw(data);
        }

        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, data.Length);
        return Op('B').Raw(length).Raw(data);
    }

    /// <summary>STACK_GLOBAL for module.name.</summary>
    public PickleWriter Global(string module, string name) => Str(module).Str(name).Op(0x93);

    /// <summary>GLOBAL (protocol 2's text form).</summary>
    public PickleWriter TextGlobal(string module, string name) => Op('c').Text($"{module}\n{name}\n");

    public PickleWriter Stop() => Op('.');

    public byte[] ToArray() => [.. _bytes];

    /// <summary>A fitted DictVectorizer with these feature names, as sklearn pickles one.</summary>
    public static byte[] DictVectorizer(IEnumerable<string> featureNames, bool sparse = true)
    {
        PickleWriter writer = Protocol(4)
            .Global("sklearn.feature_extraction._dict_vectorizer", "DictVectorizer").Op(')').Op(0x81)
            .Op('}').Op('(')
            .Str("separator").Str("=")
            .Str("sparse").Op(sparse ? (byte)0x88 : (byte)0x89)
            .Str("feature_names_").Op(']').Op('(');
        foreach (string name in featureNames)
        {
            writer.Str(name);
        }

        return writer.Op('e').Op('u').Op('b').Stop().ToArray();
    }
}
