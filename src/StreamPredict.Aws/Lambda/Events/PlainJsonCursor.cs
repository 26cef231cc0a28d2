using System.Buffers;

namespace StreamPredict.Aws.Lambda.Events;

/// <summary>
/// A forward-only reader for JSON in the plain form that Lambda and ride producers write: strings of printable ASCII
/// without escapes, numbers, literals, and any JSON whitespace. Each Try method returns false on anything else, and the
/// caller then reads the whole input again with Utf8JsonReader. So this reader needs no error messages and no support
/// for rare forms, and it accepts only what the general reader accepts, with the same meaning.
/// Utf8JsonReader's general state machine cost about 30 tokens × 20 ns per Lambda record, the largest share of the hot path.
/// </summary>
public ref struct PlainJsonCursor(ReadOnlySpan<byte> json)
{
    /// <summary>
    /// What a plain string may hold: printable ASCII except '"' and '\'. Written out rather than computed with LINQ,
    /// which JIT-compiled ~20 methods in the cold start.
    /// </summary>
    public static readonly SearchValues<byte> PlainStringBytes = SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    private readonly ReadOnlySpan<byte> _json = json;
    private int _at;

    public readonly ReadOnlySpan<byte> Json => _json;

    /// <summary>Consumes <paramref name="token"/> (after whitespace) if it comes next.</summary>
    public bool TryConsume(byte token)
    {
        SkipWhitespace();
        if (_at < _json.Length && _json[_at] == token)
        {
            _at++;
            return true;
        }

        return false;
    }

    /// <summary>True, consuming nothing but whitespace, when <paramref name="token"/> comes next.</summary>
    public bool Peek(byte token)
    {
        SkipWhitespace();
        return _at < _json.Length && _json[_at] == token;
    }

    /// <summary>Only whitespace is left.</summary>
    public bool AtEnd()
    {
        SkipWhitespace();
        return _at == _json.Length;
    }

    /// <summary>A plain string; start and length are of its content, between the quotes.</summary>
    public bool TryReadString(out int start, out int length)
    {
        start = length = 0;
        if (!TryConsume((byte)'"'))
        {
            return false;
        }

        var end = _json[_at..].IndexOfAnyExcept(PlainStringBytes);
        if (end < 0 || _json[_at + end] != '"')
        {
            return false;
        }

        (start, length) = (_at, end);
        _at += end + 1;
        return true;
    }

    /// <summary>
    /// A member name and its ':'. Faster than <see cref="TryReadString"/> because the name is not checked here: it is the
    /// raw text between the quotes, so the caller must either find it among its own (plain) names or check it with
    /// <see cref="IsPlain"/>. About 13 names per Lambda record made this worth its own method.
    /// </summary>
    public bool TryReadName(out ReadOnlySpan<byte> name)
    {
        name = default;
        if (!TryConsume((byte)'"'))
        {
            return false;
        }

        var end = _json[_at..].IndexOf((byte)'"');
        if (end < 0)
        {
            return false;
        }

        name = _json.Slice(_at, end);
        _at += end + 1;
        return TryConsume((byte)':');
    }

    /// <summary>
    /// <see cref="TryReadName(out ReadOnlySpan{byte})"/>, trying the name the caller expects first: one comparison
    /// instead of a search for the closing quote.
    /// </summary>
    public bool TryReadName(ReadOnlySpan<byte> expectedQuotedName, out ReadOnlySpan<byte> name)
    {
        if (TryConsumeName(expectedQuotedName))
        {
            name = expectedQuotedName[1..^1];
            return TryConsume((byte)':');
        }

        return TryReadName(out name);
    }

    /// <summary>Consumes <paramref name="quotedName"/> (quotes included, after whitespace) if it comes next.</summary>
    public bool TryConsumeName(ReadOnlySpan<byte> quotedName)
    {
        SkipWhitespace();
        if (!_json[_at..].StartsWith(quotedName))
        {
            return false;
        }

        _at += quotedName.Length;
        return true;
    }

    /// <summary>True when <paramref name="text"/> could be a plain string's content.</summary>
    public static bool IsPlain(ReadOnlySpan<byte> text) => !text.ContainsAnyExcept(PlainStringBytes);

    /// <summary>A number in strict JSON grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?</summary>
    public bool TryReadNumber(out int start, out int length)
    {
        SkipWhitespace();
        start = _at;
        length = 0;
        var at = _at;
        if (at < _json.Length && _json[at] == '-')
        {
            at++;
        }

        if (at < _json.Length && _json[at] == '0')
        {
            at++;
        }
        else if (!Digits(ref at))
        {
            return false;
        }

        if (at < _json.Length && _json[at] == '.')
        {
            at++;
            if (!Digits(ref at))
            {
                return false;
            }
        }

        if (at < _json.Length && (_json[at] | 0x20) == 'e')
        {
            at++;
            if (at < _json.Length && _json[at] is (byte)'+' or (byte)'-')
            {
                at++;
            }

            if (!Digits(ref at))
            {
                return false;
            }
        }

        // A number must end at a delimiter: "12abc" or "01" is not two tokens.
        if (at < _json.Length && _json[at] is not ((byte)',' or (byte)'}' or (byte)']' or (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r'))
        {
            return false;
        }

        length = at - start;
        _at = at;
        return true;
    }

    /// <summary>Skips a plain string, a number, true, false or null; false on anything else (objects and arrays included).</summary>
    public bool TrySkipScalar()
    {
        SkipWhitespace();
        if (_at >= _json.Length)
        {
            return false;
        }

        return _json[_at] switch
        {
            (byte)'"' => TryReadString(out _, out _),
            (byte)'t' => TrySkipLiteral("true"u8),
            (byte)'f' => TrySkipLiteral("false"u8),
            (byte)'n' => TrySkipLiteral("null"u8),
            _ => TryReadNumber(out _, out _),
        };
    }

    private bool TrySkipLiteral(ReadOnlySpan<byte> literal)
    {
        var at = _at + literal.Length;
        if (!_json[_at..].StartsWith(literal) || (at < _json.Length && char.IsAsciiLetterOrDigit((char)_json[at])))
        {
            return false;
        }

        _at = at;
        return true;
    }

    private readonly bool Digits(ref int at)
    {
        var first = at;
        while (at < _json.Length && char.IsAsciiDigit((char)_json[at]))
        {
            at++;
        }

        return at > first;
    }

    private void SkipWhitespace()
    {
        while (_at < _json.Length && _json[_at] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            _at++;
        }
    }
}
