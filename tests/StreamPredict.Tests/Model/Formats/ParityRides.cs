using System.Globalization;
using StreamPredict.Model;
using StreamPredict.Model.Artifact;
using StreamPredict.Model.Inference;

namespace StreamPredict.Tests.Model.Formats;

/// <summary>Seeded rides for parity checks, chosen to exercise every branch a converted model has.</summary>
internal static class ParityRides
{
    /// <summary>
    /// Half the rides use pairs the model knows (they reach the one-hot splits), half random zones (mostly unseen).
    /// Distances are random, rounded as the training data is, zero, and exactly on and beside every distance split
    /// threshold in the artifact (float32 neighbours too), so a &lt; / &lt;= or float32 slip shows.
    /// </summary>
    public static Ride[] For(ModelArtifact artifact, int count = 3000, int seed = 20260601)
    {
        var random = new Random(seed);
        List<(int, int)> seen = SeenPairs(artifact);
        double[] edges = [.. DistanceThresholds(artifact).SelectMany(Around).Where(d => d is >= 0 and <= 500).Distinct().Take(1500)];
        var rides = new Ride[count + edges.Length];
        for (int i = 0; i < rides.Length; i++)
        {
            (int pickup, int dropoff) = i % 2 == 0 && seen.Count > 0 ? seen[random.Next(seen.Count)] : (random.Next(1, 60), random.Next(1, 60));
            double distance = i >= count ? edges[i - count] : (i % 10) switch
            {
                0 => 0.0,
                1 or 2 => Math.Round(random.NextDouble() * 20, 2),
                _ => random.NextDouble() * 25,
            };
            rides[i] = new Ride(pickup, dropoff, distance);
        }

        return rides;
    }

    private static IEnumerable<double> Around(double threshold)
    {
        float single = (float)threshold;
        return [threshold, single, MathF.BitIncrement(single), MathF.BitDecrement(single), Math.BitIncrement(threshold)];
    }

    private static IEnumerable<double> DistanceThresholds(ModelArtifact artifact)
    {
        int distance = artifact.Features.Columns.ToList().IndexOf(FeatureColumns.DistanceColumn);
        return (artifact.Estimator.Trees ?? [])
            .SelectMany(tree => tree.Feature.Select((feature, node) => (feature, node)).Where(n => n.feature == distance)
                .Select(n => tree.Threshold[n.node]));
    }

    private static List<(int, int)> SeenPairs(ModelArtifact artifact) => artifact.Features.Columns
        .Where(name => name.StartsWith(FeatureColumns.CategoryPrefix, StringComparison.Ordinal))
        .Select(name => name[FeatureColumns.CategoryPrefix.Length..].Split('_'))
        .Select(pair => (int.Parse(pair[0], CultureInfo.InvariantCulture), int.Parse(pair[1], CultureInfo.InvariantCulture)))
        .ToList();

    /// <summary>Asserts every prediction is within <paramref name="tolerance"/> of the library's (0: bit for bit), naming the worst ride.</summary>
    public static void AssertClose(Ride[] rides, double[] expected, CompiledModel model, double tolerance) =>
        AssertClose(rides, expected, model, _ => tolerance);

    /// <summary>As above, with a tolerance that depends on the library's prediction.</summary>
    public static void AssertClose(Ride[] rides, double[] expected, CompiledModel model, Func<double, double> tolerance)
    {
        double[] actual = new double[rides.Length];
        model.PredictBatch(rides, actual);
        int worst = Enumerable.Range(0, rides.Length).MaxBy(i => Math.Abs(expected[i] - actual[i]) / tolerance(expected[i]));
        double difference = Math.Abs(expected[worst] - actual[worst]);
        Assert.True(difference <= tolerance(expected[worst]),
            $"{rides.Length} rides; worst {rides[worst]}: library {expected[worst]:R}, C# {actual[worst]:R}, difference {difference:G3} > {tolerance(expected[worst]):G3}");
    }
}
