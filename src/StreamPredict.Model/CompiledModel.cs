namespace StreamPredict.Model;

/// <summary>A verified model artifact compiled into flat arrays for allocation-free inference.</summary>
public sealed class CompiledModel
{
    private CompiledModel(string name, string version)
    {
        Name = name;
        Version = version;
    }

    public string Name { get; }

    /// <summary>The run id the artifact was trained or exported under.</summary>
    public string Version { get; }

    /// <summary>Parses, checksum-verifies and compiles a model artifact. Throws <see cref="ModelLoadException"/>.</summary>
    public static CompiledModel Load(ReadOnlySpan<byte> utf8Json) => throw new NotImplementedException();

    /// <summary>Predicted ride duration in minutes. The ride must have passed <see cref="RideValidator"/>.</summary>
    public double Predict(in Ride ride) => throw new NotImplementedException();

    public void PredictBatch(ReadOnlySpan<Ride> rides, Span<double> durations) => throw new NotImplementedException();
}
