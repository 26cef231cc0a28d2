namespace StreamPredict.Training.Linear;

public sealed class TrainingOptions
{
    public string Name { get; init; } = "duration-linear";

    /// <summary>The run id recorded as the model's version; a fresh 32-hex id (MLflow's shape) when not given.</summary>
    public string Version { get; init; } = Guid.NewGuid().ToString("N");
}
