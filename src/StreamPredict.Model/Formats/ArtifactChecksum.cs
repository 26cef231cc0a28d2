using System.Text.Json;

namespace StreamPredict.Model.Formats;

/// <summary>The "sha256" member of a streampredict.model/v1 envelope, which the artifact reader has already verified.</summary>
internal static class ArtifactChecksum
{
    public static string Read(ReadOnlySpan<byte> document)
    {
        var reader = new Utf8JsonReader(document);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isChecksum = reader.ValueTextEquals("sha256"u8);
            reader.Read();
            if (isChecksum && reader.TokenType == JsonTokenType.String)
            {
                return reader.GetString()!.ToLowerInvariant();
            }

            reader.Skip();
        }

        throw new ModelLoadException("the model artifact has no \"sha256\" member");
    }
}
