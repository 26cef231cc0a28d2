using System.Security.Cryptography;
using System.Text.Json;

namespace StreamPredict.Model.Artifact;

/// <summary>Checks the envelope (schema, checksum) and reads the model member.</summary>
internal static class ModelDocumentReader
{
    public static ModelArtifact Read(ReadOnlySpan<byte> utf8Json)
    {
        (string schema, string sha256, Range modelRange) = ReadEnvelope(utf8Json);
        ReadOnlySpan<byte> model = utf8Json[modelRange];

        if (schema != ModelDocument.Schema)
        {
            throw new ModelLoadException($"unsupported schema \"{schema}\"; this loader reads \"{ModelDocument.Schema}\"");
        }

        VerifyChecksum(sha256, model);
        return ModelArtifactReader.Read(model);
    }

    private static (string Schema, string Sha256, Range Model) ReadEnvelope(ReadOnlySpan<byte> utf8Json)
    {
        string? schema = null;
        string? sha256 = null;
        int modelStart = -1;
        int modelEnd = -1;
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new ModelLoadException("a model artifact must be a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string property = reader.GetString()!;
                reader.Read();
                switch (property)
                {
                    case ModelDocument.SchemaProperty:
                        schema = ReadUniqueString(ref reader, property, schema);
                        break;
                    case ModelDocument.Sha256Property:
                        sha256 = ReadUniqueString(ref reader, property, sha256);
                        break;
                    case ModelDocument.ModelProperty:
                        if (modelStart >= 0)
                        {
                            throw new ModelLoadException("the \"model\" member appears twice");
                        }

                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            throw new ModelLoadException($"\"model\" must be an object, found {reader.TokenType}");
                        }

                        modelStart = (int)reader.TokenStartIndex;
                        reader.Skip();
                        modelEnd = (int)reader.BytesConsumed;
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (reader.Read())
            {
                throw new ModelLoadException("unexpected content after the model artifact's closing brace");
            }
        }
        catch (JsonException ex)
        {
            throw new ModelLoadException($"the model artifact is not valid JSON: {ex.Message}", ex);
        }

        if (schema is null)
        {
            throw new ModelLoadException("the model artifact has no \"schema\" member");
        }

        if (sha256 is null)
        {
            throw new ModelLoadException("the model artifact has no \"sha256\" member");
        }

        if (modelStart < 0)
        {
            throw new ModelLoadException("the model artifact has no \"model\" member");
        }

        return (schema, sha256, modelStart..modelEnd);
    }

    private static string ReadUniqueString(ref Utf8JsonReader reader, string property, string? existing)
    {
        if (existing is not null)
        {
            throw new ModelLoadException($"the \"{property}\" member appears twice");
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new ModelLoadException($"\"{property}\" must be a string, found {reader.TokenType}");
        }

        return reader.GetString()!;
    }

    private static void VerifyChecksum(string expectedHex, ReadOnlySpan<byte> model)
    {
        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        if (expectedHex.Length != 2 * SHA256.HashSizeInBytes
            || Convert.FromHexString(expectedHex, expected, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            throw new ModelLoadException($"\"sha256\" must be 64 hexadecimal digits, found \"{expectedHex}\"");
        }

        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(model, actual);
        if (!actual.SequenceEqual(expected))
        {
            throw new ModelLoadException(
                $"checksum mismatch: the \"model\" member hashes to {Convert.ToHexStringLower(actual)} but \"sha256\" says {expectedHex.ToLowerInvariant()}; the file is corrupt or was edited");
        }
    }
}
