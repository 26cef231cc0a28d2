using System.Security.Cryptography;
using System.Text.Json;

namespace StreamPredict.Model.Artifact;

/// <summary>Writes a <see cref="ModelArtifact"/> as a checksummed streampredict.model/v1 document.</summary>
public static class ModelArtifactWriter
{
    public static byte[] Write(ModelArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        byte[] model = JsonSerializer.SerializeToUtf8Bytes(artifact, ArtifactJsonContext.Default.ModelArtifact);
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(model));

        using var buffer = new MemoryStream(model.Length + 128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(ModelDocument.SchemaProperty, ModelDocument.Schema);
            writer.WriteString(ModelDocument.Sha256Property, sha256);
            writer.WritePropertyName(ModelDocument.ModelProperty);
            // Raw splice: the bytes on disk must be exactly the bytes that were hashed.
            writer.WriteRawValue(model, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static void WriteFile(ModelArtifact artifact, string path) => File.WriteAllBytes(path, Write(artifact));
}
