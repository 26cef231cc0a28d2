using StreamPredict.Model.Artifact;

namespace StreamPredict.Tests.Model.Formats;

internal static class ArtifactComparison
{
    /// <summary>
    /// The same model, byte for byte once written: name, version, columns, estimator and training source; only the
    /// producer (which names the tool) may differ.
    /// </summary>
    public static void AssertSameModel(ModelArtifact expected, ModelArtifact actual)
    {
        Assert.Equal(expected.Training.Source, actual.Training.Source);
        var sameProducer = new ModelArtifact
        {
            Name = actual.Name,
            Version = actual.Version,
            Features = actual.Features,
            Estimator = actual.Estimator,
            Training = expected.Training,
        };

        Assert.Equal(
            System.Text.Encoding.UTF8.GetString(ModelArtifactWriter.Write(expected)),
            System.Text.Encoding.UTF8.GetString(ModelArtifactWriter.Write(sameProducer)));
    }
}
