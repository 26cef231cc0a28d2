namespace StreamPredict.Cli.Bench;

/// <summary>Order statistics for bench reports: nearest-rank percentiles, so every figure is a value actually measured.</summary>
internal static class Percentiles
{
    /// <summary>The smallest sample with at least <paramref name="percent"/>% of the samples at or below it.</summary>
    public static double Of(IReadOnlyCollection<double> samples, double percent)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            throw new ArgumentException("A percentile of no samples is undefined.", nameof(samples));
        }

        if (!(percent is > 0 and <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "The percentile must be in (0, 100].");
        }

        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    public static double Median(IReadOnlyCollection<double> samples) => Of(samples, 50);
}
