namespace StreamPredict.Training.MlNet;

/// <summary>The two gradient-boosting trainers ML.NET offers.</summary>
public enum BoostingTrainer
{
    FastTree,
    LightGbm,
}

/// <summary>What to train and how. The defaults are the ones the README's table was measured with.</summary>
public sealed class BoostedTreeOptions
{
    public BoostingTrainer Trainer { get; init; } = BoostingTrainer.LightGbm;

    /// <summary>Boosting iterations, one tree each; early stopping may end sooner.</summary>
    public int Trees { get; init; } = 1000;

    public int Leaves { get; init; } = 63;

    public double LearningRate { get; init; } = 0.1;

    /// <summary>Stop after this many iterations without a better validation RMSE, keeping the best; 0 turns it off. Needs validation data.</summary>
    public int EarlyStopping { get; init; } = 50;

    public int MinExamplesPerLeaf { get; init; } = 20;

    /// <summary>
    /// Training threads; null takes the trainer's default: every core for FastTree, one for LightGBM. LightGBM's OpenMP
    /// threads spin while they wait for each other, and on a busy machine that turns seconds into minutes: on the course
    /// split, with the load average above 20, two threads took 80 and 140 s to fit where one took 4.7 s (and two with
    /// OMP_WAIT_POLICY=PASSIVE 4.4 s), with identical trees.
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>Fixed, so the same data and options train the same model.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>How the zones are featurized; zone ids as categories was the best and fastest (README, "Gradient-boosted trees").</summary>
    public RideEncoding Encoding { get; init; } = RideEncoding.Zones;

    public string Name { get; init; } = "duration-boosted-trees";

    /// <summary>The run id recorded as the model's version; a fresh 32-hex id (MLflow's shape) when not given.</summary>
    public string Version { get; init; } = Guid.NewGuid().ToString("N");

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Require(Trees >= 1, $"trees must be at least 1, not {Trees}");
        Require(Leaves >= 2, $"leaves must be at least 2, not {Leaves}");
        Require(double.IsFinite(LearningRate) && LearningRate > 0 && LearningRate <= 1, $"learning rate must be in (0, 1], not {LearningRate}");
        Require(EarlyStopping >= 0, $"early stopping must be 0 (off) or a number of iterations, not {EarlyStopping}");
        Require(MinExamplesPerLeaf >= 1, $"min examples per leaf must be at least 1, not {MinExamplesPerLeaf}");
        Require(Threads is null or >= 1, $"threads must be at least 1, not {Threads}");
        Require(!string.IsNullOrWhiteSpace(Name), "the model name must not be empty");
        Require(!string.IsNullOrWhiteSpace(Version), "the version (run id) must not be empty");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
