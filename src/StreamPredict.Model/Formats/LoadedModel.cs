using StreamPredict.Model.Artifact;

namespace StreamPredict.Model.Formats;

/// <summary>One file that went into a model: its path as read (relative to the model folder), size and SHA-256.</summary>
public sealed record ModelFileInfo(string Path, long Length, string Sha256);

/// <summary>
/// Where a model came from, for logs and `model show`. <see cref="Sha256"/> is our artifact's own checksum (verified)
/// for <see cref="ModelFormat.StreamPredictArtifact"/>, and otherwise the SHA-256 of the model's data file as read
/// (the pickle, or the XGBoost model), so it matches `sha256sum model.pkl`. <see cref="Files"/> lists every file read.
/// </summary>
public sealed record ModelSource(ModelFormat Format, string Sha256, string Version, string Description, IReadOnlyList<ModelFileInfo> Files);

/// <summary>A model read from any supported format: the artifact it amounts to, compiled, and where it came from.</summary>
public sealed record LoadedModel(CompiledModel Model, ModelArtifact Artifact, ModelSource Source);
