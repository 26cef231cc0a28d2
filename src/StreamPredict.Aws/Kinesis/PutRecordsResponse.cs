using System.Text;
using System.Text.Json;

namespace StreamPredict.Aws.Kinesis;

/// <summary>
/// Reads PutRecords' answer, {"FailedRecordCount":n,"Records":[{"SequenceNumber","ShardId"} or {"ErrorCode","ErrorMessage"}…]},
/// with a plain <see cref="Utf8JsonReader"/>.
/// </summary>
/// <remarks>
/// Why not the source-generated context the other operations use: PutRecords is the function's one call, and its
/// first answer is on the path to the first response of a cold start, where the serializer's metadata for these types
/// cost ~35 JIT-compiled methods. The rules are the context's: member names match case-insensitively, unknown members
/// are skipped, strings may be null. A missing "Records" is refused here (the serializer left it null).
/// Malformed answers throw <see cref="JsonException"/>, which the client reports as an InvalidResponse.
/// </remarks>
internal static class PutRecordsResponse
{
    public static PutRecordsResult Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        Expect(ref reader, JsonTokenType.StartObject, "the answer", "an object");
        // Absent means 0, as the serializer's default for the constructor parameter did.
        var failedRecordCount = 0;
        List<PutRecordsResultEntry>? records = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (NameIs(ref reader, "FailedRecordCount"u8))
            {
                reader.Read();
                failedRecordCount = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var count)
                    ? count
                    : throw new JsonException($"FailedRecordCount must be an integer, found {reader.TokenType}.");
            }
            else if (NameIs(ref reader, "Records"u8))
            {
                reader.Read();
                records = ReadEntries(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        // Anything after the closing brace makes Read throw; the end of the input returns false.
        if (reader.Read())
        {
            throw new JsonException("unexpected content after the answer's closing brace.");
        }

        return new PutRecordsResult(failedRecordCount, records ?? throw new JsonException("the answer has no Records."));
    }

    private static List<PutRecordsResultEntry> ReadEntries(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray, "Records", "an array");
        var entries = new List<PutRecordsResultEntry>(16);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException($"Records[{entries.Count}] must be an object, found {reader.TokenType}.");
            }

            string? sequenceNumber = null;
            string? shardId = null;
            string? errorCode = null;
            string? errorMessage = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (NameIs(ref reader, "SequenceNumber"u8))
                {
                    sequenceNumber = ReadString(ref reader, entries.Count, "SequenceNumber");
                }
                else if (NameIs(ref reader, "ShardId"u8))
                {
                    shardId = ReadString(ref reader, entries.Count, "ShardId");
                }
                else if (NameIs(ref reader, "ErrorCode"u8))
                {
                    errorCode = ReadString(ref reader, entries.Count, "ErrorCode");
                }
                else if (NameIs(ref reader, "ErrorMessage"u8))
                {
                    errorMessage = ReadString(ref reader, entries.Count, "ErrorMessage");
                }
                else
                {
                    reader.Skip();
                }
            }

            entries.Add(new PutRecordsResultEntry(sequenceNumber, shardId, errorCode, errorMessage));
        }

        return entries;
    }

    private static string? ReadString(ref Utf8JsonReader reader, int index, string member)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        return reader.TokenType == JsonTokenType.String
            ? reader.GetString()
            : throw new JsonException($"Records[{index}].{member} must be a string, found {reader.TokenType}.");
    }

    /// <summary>ASCII case-insensitive, as the serializer context's PropertyNameCaseInsensitive matched.</summary>
    private static bool NameIs(ref Utf8JsonReader reader, ReadOnlySpan<byte> name) => reader.ValueIsEscaped
        ? string.Equals(reader.GetString(), Encoding.UTF8.GetString(name), StringComparison.OrdinalIgnoreCase)
        : Ascii.EqualsIgnoreCase(reader.ValueSpan, name);

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType expected, string what, string kind)
    {
        if (reader.TokenType != expected)
        {
            throw new JsonException($"{what} must be {kind}, found {reader.TokenType}.");
        }
    }
}
