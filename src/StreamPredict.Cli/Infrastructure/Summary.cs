using System.Globalization;
using System.Text;
using System.Text.Json;

namespace StreamPredict.Cli.Infrastructure;

/// <summary>An ordered set of named results, printed as "name: value" lines or as one compact JSON object.</summary>
internal sealed class Summary
{
    private readonly List<KeyValuePair<string, object?>> _items = [];

    public IReadOnlyList<KeyValuePair<string, object?>> Items => _items;

    /// <summary>Values: string, bool, integers, double, null, a nested <see cref="Summary"/>, a <see cref="SummaryLine"/>, or a list of strings.</summary>
    public Summary Add(string name, object? value)
    {
        _items.Add(new(name, value));
        return this;
    }

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public void WriteText(TextWriter output, string indent = "")
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var (name, value) in _items)
        {
            if (value is Summary nested)
            {
                output.WriteLine($"{indent}{name}:");
                nested.WriteText(output, indent + "  ");
            }
            else
            {
                output.WriteLine($"{indent}{name}: {Text(value)}");
            }
        }
    }

    private void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in _items)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string text: writer.WriteStringValue(text); break;
            case bool flag: writer.WriteBooleanValue(flag); break;
            case int number: writer.WriteNumberValue(number); break;
            case long number: writer.WriteNumberValue(number); break;
            case double number when double.IsFinite(number): writer.WriteNumberValue(Math.Round(number, 6)); break;
            case double: writer.WriteNullValue(); break;
            case Summary nested: nested.Write(writer); break;
            case SummaryLine line: line.Fields.Write(writer); break;
            case IEnumerable<string> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
                break;
            default: throw new ArgumentException($"Summary values cannot be {value.GetType().Name}.", nameof(value));
        }
    }

    private static string Text(object? value) => value switch
    {
        null => "-",
        string text => text,
        double number => number.ToString("0.###", CultureInfo.InvariantCulture),
        bool flag => flag ? "yes" : "no",
        SummaryLine line => line.Text,
        IEnumerable<string> list => string.Join(", ", list),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>A result that reads as one sentence in the text summary and as an object of its fields in JSON.</summary>
internal sealed record SummaryLine(string Text, Summary Fields);
