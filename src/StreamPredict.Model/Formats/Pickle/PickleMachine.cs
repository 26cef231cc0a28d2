using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;

namespace StreamPredict.Model.Formats.Pickle;

/// <summary>
/// A pickle virtual machine for protocols 2 to 5 that only builds data. Globals are checked against
/// <see cref="AllowedGlobals"/> when they are named; REDUCE, NEWOBJ and BUILD on an allowed class record its arguments
/// and state (numpy arrays and dtypes are decoded); nothing is imported, called or executed. Every malformed input ends
/// in a <see cref="ModelLoadException"/> naming the opcode, its byte offset and what was expected.
/// </summary>
internal sealed partial class PickleMachine
{
    /// <summary>The largest pickle read: far above any model we serve (the course forest is 436 KB).</summary>
    public const int MaxBytes = 256 * 1024 * 1024;

    /// <summary>Open MARKs at once, i.e. nesting of tuples, lists and dicts being built.</summary>
    public const int MaxNesting = 1000;

    /// <summary>Memo entries; Python writes one per object, and sklearn models have thousands, not millions.</summary>
    public const int MaxMemo = 1 << 22;

    /// <summary>Boxed 0..255, so the many small ints of a model (BININT1) allocate nothing.</summary>
    private static readonly object True = true;
    private static readonly object False = false;

    private static readonly object[] SmallInts = [.. Enumerable.Range(0, 256).Select(i => (object)(long)i)];

    private readonly PickleInput _input;
    private readonly List<object?> _stack = [];
    private readonly List<int> _marks = [];
    private readonly List<object?> _memo = [];

    private PickleMachine(ReadOnlyMemory<byte> pickle) => _input = new PickleInput(pickle);

    /// <summary>The value the pickle describes, built from data only.</summary>
    public static object? Load(ReadOnlyMemory<byte> pickle)
    {
        if (pickle.Length > MaxBytes)
        {
            throw new ModelLoadException($"pickle: {pickle.Length} bytes is over the {MaxBytes / (1024 * 1024)} MiB limit");
        }

        if (pickle.Length < 2 || pickle.Span[0] != Opcodes.Proto)
        {
            throw new ModelLoadException(
                "pickle: not a pickle of protocol 2 to 5 (those start with the PROTO opcode 0x80); protocol 0 and 1 pickles are not supported, re-save with pickle.dump(obj, f, protocol=4)");
        }

        return new PickleMachine(pickle).Run();
    }

    private object? Run()
    {
        while (true)
        {
            int start = _input.Position;
            if (_input.Remaining == 0)
            {
                _input.BeginOpcode("end of input", start);
                throw _input.Error("the pickle ends without a STOP opcode (truncated)");
            }

            byte opcode = _input.ReadByte("opcode");
            _input.BeginOpcode(Opcodes.Name(opcode), start);
            if (opcode == Opcodes.Stop)
            {
                if (_marks.Count > 0 || _stack.Count != 1)
                {
                    throw _input.Error($"STOP with {_stack.Count} values and {_marks.Count} open MARKs on the stack; expected exactly one value");
                }

                return _stack[0];
            }

            Execute(opcode);
        }
    }

    private void Execute(byte opcode)
    {
        switch (opcode)
        {
            case Opcodes.Proto:
                byte protocol = _input.ReadByte("protocol number");
                if (protocol is < 2 or > 5)
                {
                    throw _input.Error($"protocol {protocol} is not supported; this reader reads protocols 2 to 5");
                }

                break;
            case Opcodes.Frame:
                _input.ReadLength64("frame length");
                break;
            case Opcodes.Mark:
                if (_marks.Count == MaxNesting)
                {
                    throw _input.Error($"more than {MaxNesting} nested MARKs; refusing a pickle nested this deep");
                }

                _marks.Add(_stack.Count);
                break;
            case Opcodes.Pop:
                if (_stack.Count > MarkBase)
                {
                    _stack.RemoveAt(_stack.Count - 1);
                }
                else
                {
                    PopMark();
                }

                break;
            case Opcodes.PopMark:
                PopMark();
                break;
            case Opcodes.Dup:
                Push(Peek());
                break;
            case Opcodes.None:
                Push(null);
                break;
            case Opcodes.NewTrue:
                Push(True);
                break;
            case Opcodes.NewFalse:
                Push(False);
                break;
            case Opcodes.BinInt:
                Push((long)_input.ReadInt32("4-byte integer"));
                break;
            case Opcodes.BinInt1:
                Push(SmallInts[_input.ReadByte("1-byte integer")]);
                break;
            case Opcodes.BinInt2:
                Push((long)_input.ReadUInt16("2-byte integer"));
                break;
            case Opcodes.Long1:
                Push(LittleEndianInteger(_input.ReadSpan(_input.ReadByte("integer length"), "integer bytes")));
                break;
            case Opcodes.Long4:
                int longLength = _input.ReadInt32("integer length");
                Push(LittleEndianInteger(_input.ReadSpan(longLength, "integer bytes")));
                break;
            case Opcodes.BinFloat:
                Push(_input.ReadDoubleBigEndian("8-byte float"));
                break;
            case Opcodes.ShortBinBytes:
                Push(new PickleBytes(_input.ReadMemory(_input.ReadByte("bytes length"), "bytes")));
                break;
            case Opcodes.BinBytes:
                Push(new PickleBytes(_input.ReadMemory(_input.ReadUInt32("bytes length"), "bytes")));
                break;
            case Opcodes.BinBytes8:
            case Opcodes.ByteArray8:
                Push(new PickleBytes(_input.ReadMemory(_input.ReadLength64("bytes length"), "bytes")));
                break;
            case Opcodes.ShortBinUnicode:
                Push(_input.ReadUtf8(_input.ReadByte("string length"), "string"));
                break;
            case Opcodes.BinUnicode:
                Push(_input.ReadUtf8(_input.ReadUInt32("string length"), "string"));
                break;
            case Opcodes.BinUnicode8:
                Push(_input.ReadUtf8(_input.ReadLength64("string length"), "string"));
                break;
            case Opcodes.ShortBinString:
                Push(Latin1(_input.ReadSpan(_input.ReadByte("string length"), "string")));
                break;
            case Opcodes.BinString:
                Push(Latin1(_input.ReadSpan(_input.ReadInt32("string length"), "string")));
                break;
            case Opcodes.EmptyTuple:
                Push(Array.Empty<object?>());
                break;
            case Opcodes.Tuple1:
                Push(new[] { Pop() });
                break;
            case Opcodes.Tuple2:
                object? second = Pop();
                Push(new[] { Pop(), second });
                break;
            case Opcodes.Tuple3:
                object? third = Pop();
                object? middle = Pop();
                Push(new[] { Pop(), middle, third });
                break;
            case Opcodes.Tuple:
                Push(PopMark().ToArray());
                break;
            case Opcodes.EmptyList:
                Push(new List<object?>());
                break;
            case Opcodes.List:
                Push(PopMark());
                break;
            case Opcodes.Append:
                object? item = Pop();
                Target<List<object?>>("a list").Add(item);
                break;
            case Opcodes.Appends:
                List<object?> items = PopMark();
                Target<List<object?>>("a list").AddRange(items);
                break;
            case Opcodes.EmptyDict:
                Push(new PickleDict());
                break;
            case Opcodes.Dict:
                var dict = new PickleDict();
                SetItems(dict, PopMark());
                Push(dict);
                break;
            case Opcodes.SetItem:
                object? value = Pop();
                object? key = Pop();
                Target<PickleDict>("a dict").Set(key, value);
                break;
            case Opcodes.SetItems:
                List<object?> pairs = PopMark();
                SetItems(Target<PickleDict>("a dict"), pairs);
                break;
            case Opcodes.EmptySet:
                Push(new PickleSet());
                break;
            case Opcodes.AddItems:
                List<object?> members = PopMark();
                Target<PickleSet>("a set").Items.AddRange(members);
                break;
            case Opcodes.FrozenSet:
                var frozen = new PickleSet();
                frozen.Items.AddRange(PopMark());
                Push(frozen);
                break;
            case Opcodes.Global:
                string module = _input.ReadLine("module name");
                Push(Global(module, _input.ReadLine("global name")));
                break;
            case Opcodes.StackGlobal:
                object? name = Pop();
                object? moduleName = Pop();
                if (moduleName is not string stackModule || name is not string stackName)
                {
                    throw _input.Error($"STACK_GLOBAL needs two strings, found {Describe(moduleName)} and {Describe(name)}");
                }

                Push(Global(stackModule, stackName));
                break;
            case Opcodes.Reduce:
                object? arguments = Pop();
                Push(Call(Pop(), arguments));
                break;
            case Opcodes.NewObj:
                object? newArguments = Pop();
                Push(NewObject(Pop(), newArguments));
                break;
            case Opcodes.NewObjEx:
                Pop(); // keyword arguments: kept nowhere, since no constructor runs
                object? exArguments = Pop();
                Push(NewObject(Pop(), exArguments));
                break;
            case Opcodes.Build:
                object? state = Pop();
                Build(Peek(), state);
                break;
            case Opcodes.Memoize:
                Remember(_memo.Count);
                break;
            case Opcodes.BinPut:
                Remember(_input.ReadByte("memo index"));
                break;
            case Opcodes.LongBinPut:
                Remember(_input.ReadUInt32("memo index"));
                break;
            case Opcodes.Put:
                Remember(TextIndex(_input.ReadLine("memo index")));
                break;
            case Opcodes.BinGet:
                Push(Recall(_input.ReadByte("memo index")));
                break;
            case Opcodes.LongBinGet:
                Push(Recall(_input.ReadUInt32("memo index")));
                break;
            case Opcodes.Get:
                Push(Recall(TextIndex(_input.ReadLine("memo index"))));
                break;
            case Opcodes.PersId or Opcodes.BinPersId:
                throw _input.Error("persistent ids need the writer's own loader; a model pickle has none");
            case Opcodes.Ext1 or Opcodes.Ext2 or Opcodes.Ext4:
                throw _input.Error("extension-registry globals (copyreg.add_extension) are not supported");
            case Opcodes.NextBuffer or Opcodes.ReadOnlyBuffer:
                throw _input.Error("out-of-band buffers (pickle protocol 5 buffer_callback) are not supported; pickle the model in-band");
            case Opcodes.Inst or Opcodes.Obj:
                throw _input.Error("protocol 0/1 object opcodes are not supported; re-save with protocol 4");
            case Opcodes.Int or Opcodes.Long or Opcodes.Float or Opcodes.String or Opcodes.Unicode:
                throw _input.Error("protocol 0 text opcodes are not supported; re-save with protocol 4");
            default:
                throw _input.Error("not a pickle opcode (corrupt data)");
        }
    }

    private int MarkBase => _marks.Count > 0 ? _marks[^1] : 0;

    private void Push(object? value) => _stack.Add(value);

    private object? Peek() => _stack.Count > MarkBase ? _stack[^1]
        : throw _input.Error("the stack is empty here (corrupt pickle)");

    private object? Pop()
    {
        object? top = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return top;
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0)
        {
            throw _input.Error("no MARK to pop to (corrupt pickle)");
        }

        int mark = _marks[^1];
        _marks.RemoveAt(_marks.Count - 1);
        List<object?> items = _stack.GetRange(mark, _stack.Count - mark);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private T Target<T>(string what) where T : class =>
        Peek() as T ?? throw _input.Error($"expects {what} below its items, found {Describe(Peek())}");

    private void SetItems(PickleDict dict, List<object?> pairs)
    {
        if (pairs.Count % 2 != 0)
        {
            throw _input.Error($"{pairs.Count} items between MARK and here; a dict needs key, value pairs");
        }

        for (int i = 0; i < pairs.Count; i += 2)
        {
            dict.Set(pairs[i], pairs[i + 1]);
        }
    }

    private void Remember(long index)
    {
        object? top = Peek();
        if (index == _memo.Count)
        {
            if (_memo.Count == MaxMemo)
            {
                throw _input.Error($"more than {MaxMemo} memo entries");
            }

            _memo.Add(top);
        }
        else if (index < _memo.Count)
        {
            _memo[(int)index] = top;
        }
        else
        {
            throw _input.Error($"memo index {index} skips past the {_memo.Count} entries written so far (corrupt pickle)");
        }
    }

    private object? Recall(long index) => index < _memo.Count ? _memo[(int)index]
        : throw _input.Error($"memo index {index} was never written ({_memo.Count} entries so far; corrupt pickle)");

    private long TextIndex(string line) => long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out long index)
        ? index
        : throw _input.Error($"memo index '{line}' is not a number");

    private PickleGlobal Global(string module, string name) => AllowedGlobals.TryGet(module, name, out PickleGlobal global)
        ? global
        : throw _input.Error($"the pickle names the global '{module}.{name}', which is not an allowed class; refusing to load it"
            + (module.StartsWith("sklearn", StringComparison.Ordinal) ? $" (the scikit-learn models read here: DictVectorizer and Pipeline with {Sklearn.SklearnConverter.SupportedModels})" : ""));

    private static object LittleEndianInteger(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            return 0L;
        }

        if (bytes.Length <= 8)
        {
            Span<byte> padded = stackalloc byte[8];
            padded.Fill((bytes[^1] & 0x80) != 0 ? (byte)0xff : (byte)0);
            bytes.CopyTo(padded);
            return BinaryPrimitives.ReadInt64LittleEndian(padded);
        }

        return new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
    }

    private static string Latin1(ReadOnlySpan<byte> bytes) => System.Text.Encoding.Latin1.GetString(bytes);
}
