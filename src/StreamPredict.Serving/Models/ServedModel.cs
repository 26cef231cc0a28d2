using StreamPredict.Model;

namespace StreamPredict.Serving.Models;

/// <summary>
/// One loaded model as a long-running service holds it: the compiled model, the stamp of the stored bytes it came from
/// (an S3 ETag or a file's timestamp and size, see <see cref="ModelStampProbe"/>) and when it was loaded. Immutable, so
/// a request that read it once computes every answer with one model and names that model's version.
/// </summary>
public sealed class ServedModel(CompiledModel model, string? stamp, DateTimeOffset loadedAt)
{
    public CompiledModel Model { get; } = model ?? throw new ArgumentNullException(nameof(model));

    /// <summary>The run id the model was trained or exported under.</summary>
    public string Version => Model.Version;

    /// <summary>What the stored model looked like when it was read; null when it could not be probed.</summary>
    public string? Stamp { get; } = stamp;

    public DateTimeOffset LoadedAt { get; } = loadedAt;
}
