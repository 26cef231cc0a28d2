using System.Text.Json;
using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.S3;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.Model;
using StreamPredict.Serving.Models;

namespace StreamPredict.Cli.Commands;

/// <summary>Loading (through the shared <see cref="ModelLoader"/>) and describing model artifacts for `predict`, `model` and `bench`.</summary>
internal static class ModelFiles
{
    /// <summary>A model given on the command line (a path, a folder or s3://bucket/key), read by the one loader every mode uses.</summary>
    public static async Task<(CompiledModel Model, byte[] Bytes, ModelLocation Location)> LoadAsync(
        CliContext context, string location, string option, CancellationToken cancellationToken)
    {
        var where = ModelLocation.Parse(location, option);
        var bytes = await ReadAsync(context, where, cancellationToken).ConfigureAwait(false);
        return (ModelLoader.Compile(bytes, where), bytes, where);
    }

    public static Task<byte[]> ReadAsync(CliContext context, ModelLocation location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ModelLoader.ReadAsync(location, () => new S3ObjectDownloader(AwsEnvironment.FromEnvironment(context.GetVariable)), cancellationToken);
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
