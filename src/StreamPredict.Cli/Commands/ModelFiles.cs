using System.Text.Json;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.Model;

namespace StreamPredict.Cli.Commands;

/// <summary>Loading and describing model artifacts for `predict` and `model`.</summary>
internal static class ModelFiles
{
    public static byte[] ReadLocal(FileInfo file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return file.Exists ? File.ReadAllBytes(file.FullName) : throw new CliException($"Model file '{file.FullName}' does not exist.");
    }

    public static CompiledModel LoadLocal(FileInfo file) => Load(ReadLocal(file), file.FullName);

    public static CompiledModel Load(byte[] bytes, string origin)
    {
        try
        {
            return CompiledModel.Load(bytes);
        }
        catch (ModelLoadException exception)
        {
            throw new CliException($"The model at {origin} was refused: {exception.Message}", exception);
        }
    }

    /// <summary>s3://bucket/key → (bucket, key); null when <paramref name="location"/> is not an s3 URL.</summary>
    public static (string Bucket, string Key)? ParseS3(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        const string Scheme = "s3://";
        if (!location.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = location[Scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == rest.Length - 1)
        {
            throw new CliException($"'{location}' is not an S3 object URL: use s3://bucket/key.");
        }

        return (rest[..slash], rest[(slash + 1)..]);
    }

    /// <summary>What the artifact says about itself, and whether its checksum and structure load.</summary>
    public static (Summary Summary, string? Error) Describe(byte[] bytes, string origin)
    {
        var summary = new Summary().Add("source", origin).Add("bytes", bytes.LongLength);
        string? loadError = null;
        try
        {
            CompiledModel.Load(bytes);
        }
        catch (ModelLoadException exception)
        {
            loadError = exception.Message;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            summary.Add("schema", Text(root, "schema")).Add("sha256", Text(root, "sha256"));
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.Object)
            {
                summary.Add("name", Text(model, "name")).Add("version", Text(model, "version"));
                summary.Add("estimator", model.TryGetProperty("estimator", out var estimator) ? Text(estimator, "kind") : null);
                if (estimator.ValueKind == JsonValueKind.Object && estimator.TryGetProperty("trees", out var trees) && trees.ValueKind == JsonValueKind.Array)
                {
                    summary.Add("trees", trees.GetArrayLength());
                }

                summary.Add("features", model.TryGetProperty("features", out var features) && features.ValueKind == JsonValueKind.Object
                    && features.TryGetProperty("columns", out var columns) && columns.ValueKind == JsonValueKind.Array ? columns.GetArrayLength() : null);
                if (model.TryGetProperty("training", out var training) && training.ValueKind == JsonValueKind.Object)
                {
                    var metadata = new Summary();
                    foreach (var property in training.EnumerateObject())
                    {
                        metadata.Add(property.Name, property.Value.ValueKind switch
                        {
                            JsonValueKind.String => property.Value.GetString(),
                            JsonValueKind.Number => property.Value.GetDouble(),
                            JsonValueKind.Null => null,
                            _ => property.Value.GetRawText(),
                        });
                    }

                    summary.Add("training", metadata);
                }
            }
        }
        catch (JsonException exception)
        {
            loadError ??= $"not JSON: {exception.Message}";
        }

        summary.Add("checksum", loadError is null ? "verified" : loadError.Contains("checksum", StringComparison.Ordinal) ? "MISMATCH" : "not checked");
        summary.Add("loads", loadError is null);
        summary.Add("error", loadError);
        return (summary, loadError);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
