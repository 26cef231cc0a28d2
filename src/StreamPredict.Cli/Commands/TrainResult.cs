using StreamPredict.Cli.Infrastructure;

namespace StreamPredict.Cli.Commands;

/// <summary>What `train` (the linear model) did; the demo reads it, and <see cref="ToSummary"/> is what the verb prints.</summary>
internal sealed record TrainResult
{
    /// <summary>The full path of the model.json written.</summary>
    public required string ModelPath { get; init; }

    public required string Name { get; init; }

    public required string Version { get; init; }

    public int TrainRows { get; init; }

    public double TrainRmse { get; init; }

    /// <summary>Null without --validate.</summary>
    public int? ValidationRows { get; init; }

    public double? ValidationRmse { get; init; }

    public int Categories { get; init; }

    public double MinutesPerMile { get; init; }

    public Summary ToSummary() => new Summary()
        .Add("model", ModelPath)
        .Add("name", Name)
        .Add("version", Version)
        .Add("train_rows", TrainRows)
        .Add("train_rmse", TrainRmse)
        .Add("validation_rows", ValidationRows)
        .Add("validation_rmse", ValidationRmse)
        .Add("categories", Categories)
        .Add("minutes_per_mile", MinutesPerMile);
}
