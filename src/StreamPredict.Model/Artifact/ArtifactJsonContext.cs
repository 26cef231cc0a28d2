using System.Text.Json.Serialization;

namespace StreamPredict.Model.Artifact;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ModelArtifact))]
internal sealed partial class ArtifactJsonContext : JsonSerializerContext;
