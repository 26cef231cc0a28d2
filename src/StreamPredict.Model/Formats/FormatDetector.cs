using System.Text.Json;

namespace StreamPredict.Model.Formats;

/// <summary>Tells model formats apart by their first bytes; JSON by its top-level keys.</summary>
internal static class FormatDetector
{
    public static ModelFormat Detect(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 2 && data[0] == 0x80 && data[1] is >= 2 and <= 5)
        {
            return ModelFormat.Pickle;
        }

        if (data.StartsWith("binf"u8) || LooksLikeOldXgboostBinary(data))
        {
            return ModelFormat.XgboostBinary;
        }

        ReadOnlySpan<byte> text = data.StartsWith("\xEF\xBB\xBF"u8) ? data[3..] : data;
        text = text.TrimStart(" \t\r\n"u8);
        if (text.Length >= 2 && text[0] == '{')
        {
            // UBJSON puts a length type right after '{' (or $ and # for a typed container); JSON a quote or space.
            return text[1] is (byte)'i' or (byte)'U' or (byte)'I' or (byte)'l' or (byte)'L' or (byte)'$' or (byte)'#'
                ? ModelFormat.XgboostUbjson
                : DetectJson(text);
        }

        return IsMlmodel(text) ? ModelFormat.MlflowMlmodel : ModelFormat.Unknown;
    }

    public static string DescribeUnknown(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return "the file is empty";
        }

        string start = Convert.ToHexString(data[..Math.Min(8, data.Length)]);
        return data switch
        {
            [0x50, 0x4B, 0x03, 0x04, ..] => $"a zip archive (starts {start}); skops files and zipped folders are not read, unzip an MLflow folder first",
            [0x1F, 0x8B, ..] => $"gzip-compressed data (starts {start}); decompress it first (joblib's compress= writes this)",
            [0x78, 0x01 or 0x5E or 0x9C or 0xDA, ..] => $"zlib-compressed data (starts {start}); save with joblib.dump(..., compress=0) or pickle.dump",
            [(byte)'(' or (byte)']' or (byte)'}' or (byte)'c', ..] when data[^1] == '.' =>
                "a protocol 0 or 1 pickle, which is not supported; re-save it with pickle.dump(obj, f, protocol=4)",
            [(byte)'{', ..] => "JSON that is neither a streampredict.model/v1 artifact (\"schema\") nor an XGBoost model (\"learner\")",
            _ => $"it starts with the bytes {start}; expected a streampredict.model/v1 artifact, a pickle, an XGBoost JSON/UBJSON model or an MLflow model folder",
        };
    }

    private static ModelFormat DetectJson(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return ModelFormat.Unknown;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("schema"u8))
                {
                    // Any schema version: the artifact reader names one it does not read.
                    return ModelFormat.StreamPredictArtifact;
                }

                if (reader.ValueTextEquals("learner"u8))
                {
                    return ModelFormat.XgboostJson;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON after all: unknown.
        }

        return ModelFormat.Unknown;
    }

    // XGBoost < 1.0 wrote the binary format without the "binf" magic: a parameter block, then the objective and booster names.
    private static bool LooksLikeOldXgboostBinary(ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<byte> head = data[..Math.Min(data.Length, 512)];
        return head.IndexOf("gbtree"u8) >= 0 && (head.IndexOf("reg:"u8) >= 0 || head.IndexOf("binary:"u8) >= 0)
            && data.Length > 0 && data[0] != '{';
    }

    private static bool IsMlmodel(ReadOnlySpan<byte> text)
    {
        ReadOnlySpan<byte> head = text[..Math.Min(text.Length, 4096)];
        return head.StartsWith("flavors:"u8) || head.IndexOf("\nflavors:"u8) >= 0;
    }
}
