using System.Text;

namespace StreamPredict.Model.Formats.Mlflow;

/// <summary>
/// Reads the mappings of an MLflow MLmodel file: the small YAML subset MLflow writes (block mappings of scalars, plain
/// or quoted, possibly folded over continuation lines). Lists and block scalars are skipped, since nothing we need is
/// in them. This avoids a YAML library in the AOT-compiled function for a handful of keys.
/// </summary>
internal sealed class MlmodelFile
{
    private readonly Dictionary<string, object> _root;

    private MlmodelFile(Dictionary<string, object> root) => _root = root;

    /// <summary>A scalar by its path, e.g. ("flavors", "sklearn", "pickled_model"); null when absent or "null".</summary>
    public string? Get(params string[] path)
    {
        object? node = _root;
        foreach (string key in path)
        {
            if (node is not Dictionary<string, object> mapping || !mapping.TryGetValue(key, out node))
            {
                return null;
            }
        }

        return node is string value && value is not ("null" or "~" or "") ? value : null;
    }

    /// <summary>The names under a mapping key, e.g. the flavours.</summary>
    public IReadOnlyList<string> Keys(string key) =>
        _root.TryGetValue(key, out object? node) && node is Dictionary<string, object> mapping ? [.. mapping.Keys] : [];

    public static MlmodelFile Parse(ReadOnlySpan<byte> utf8)
    {
        string[] lines = Encoding.UTF8.GetString(utf8).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var root = new Dictionary<string, object>(StringComparer.Ordinal);
        var open = new Stack<(int Indent, Dictionary<string, object> Mapping)>();
        open.Push((-1, root));
        int skipDeeperThan = int.MaxValue;
        (Dictionary<string, object> Mapping, string Key, StringBuilder Text, int Indent)? scalar = null;

        for (int number = 1; number <= lines.Length; number++)
        {
            string line = lines[number - 1];
            string content = line.TrimStart(' ');
            int indent = line.Length - content.Length;
            if (content.Length == 0 || content[0] == '#' || content is "---" or "...")
            {
                continue;
            }

            if (content[0] == '\t')
            {
                throw new ModelLoadException($"MLmodel line {number}: indented with a tab, which YAML does not allow");
            }

            if (scalar is { } pending && indent > pending.Indent)
            {
                pending.Text.Append(' ').Append(content.TrimEnd());
                continue;
            }

            Finish(ref scalar);
            if (indent > skipDeeperThan)
            {
                continue;
            }

            skipDeeperThan = int.MaxValue;
            while (open.Peek().Indent >= indent)
            {
                open.Pop();
            }

            if (content.StartsWith('-'))
            {
                skipDeeperThan = indent; // a list item and whatever belongs to it
                continue;
            }

            int colon = KeySeparator(content);
            if (colon < 0)
            {
                throw new ModelLoadException($"MLmodel line {number}: expected 'key: value', found '{content.Trim()}'");
            }

            string key = Unquote(content[..colon].Trim(), number);
            string value = content[(colon + 1)..].Trim();
            Dictionary<string, object> parent = open.Peek().Mapping;
            if (value.Length == 0)
            {
                var child = new Dictionary<string, object>(StringComparer.Ordinal);
                parent[key] = child;
                open.Push((indent, child));
            }
            else if (value[0] is '|' or '>' or '&' or '*' or '!')
            {
                skipDeeperThan = indent; // block scalars, anchors and tags: nothing we read uses them
            }
            else
            {
                scalar = (parent, key, new StringBuilder(value), indent);
            }
        }

        Finish(ref scalar);
        return new MlmodelFile(root);

        void Finish(ref (Dictionary<string, object> Mapping, string Key, StringBuilder Text, int Indent)? pending)
        {
            if (pending is { } done)
            {
                done.Mapping[done.Key] = Unquote(StripComment(done.Text.ToString()), 0);
                pending = null;
            }
        }
    }

    // The ': ' (or a final ':') that ends a key, outside quotes.
    private static int KeySeparator(string content)
    {
        char quote = content[0] is '\'' or '"' ? content[0] : '\0';
        int start = quote == '\0' ? 0 : content.IndexOf(quote, 1) + 1;
        if (quote != '\0' && start == 0)
        {
            return -1;
        }

        for (int i = start; i < content.Length; i++)
        {
            if (content[i] == ':' && (i == content.Length - 1 || content[i + 1] == ' '))
            {
                return i;
            }
        }

        return -1;
    }

    private static string StripComment(string value)
    {
        if (value.StartsWith('\'') || value.StartsWith('"'))
        {
            return value;
        }

        int comment = value.IndexOf(" #", StringComparison.Ordinal);
        return comment < 0 ? value : value[..comment].TrimEnd();
    }

    private static string Unquote(string value, int line)
    {
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
        {
            return value[1..^1].Replace("''", "'", StringComparison.Ordinal);
        }

        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            return value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
        }

        if (value.Length > 0 && value[0] is '\'' or '"')
        {
            throw new ModelLoadException($"MLmodel{(line > 0 ? $" line {line}" : "")}: unterminated quoted value {value}");
        }

        return value;
    }
}
