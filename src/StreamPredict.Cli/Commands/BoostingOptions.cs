using System.CommandLine;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.Training.MlNet;

namespace StreamPredict.Cli.Commands;

/// <summary>`train`'s choice of trainer and the gradient-boosting options, which apply to fasttree and lightgbm only.</summary>
internal sealed class BoostingOptions
{
    public const string Linear = "linear";
    public const string FastTree = "fasttree";
    public const string LightGbm = "lightgbm";

    public Option<string> Trainer { get; } = new("--trainer")
    {
        Description = $"{Linear} (least squares, the default), {FastTree} or {LightGbm} (gradient-boosted trees with ML.NET).",
        DefaultValueFactory = _ => Linear,
    };

    public Option<int?> Trees { get; } = Positive("--trees", "Boosting iterations, one tree each (default 1000; early stopping usually ends sooner).");

    public Option<int?> Leaves { get; } = Positive("--leaves", "Leaves per tree (default 63).", minimum: 2);

    public Option<double?> LearningRate { get; } = new("--learning-rate") { Description = "Shrinkage per tree, in (0, 1] (default 0.1)." };

    public Option<int?> EarlyStopping { get; } = Positive("--early-stopping",
        "Stop after N iterations without a better validation RMSE and keep the best; 0 = off (default 50 with --validate, off without).", minimum: 0);

    public BoostingOptions()
    {
        Trainer.AcceptOnlyFromAmong(Linear, FastTree, LightGbm);
        LearningRate.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is not (> 0 and <= 1))
            {
                result.AddError("--learning-rate must be a number in (0, 1].");
            }
        });
    }

    public void AddTo(Command command)
    {
        foreach (Option option in (Option[])[Trainer, Trees, Leaves, LearningRate, EarlyStopping])
        {
            command.Options.Add(option);
        }
    }

    /// <summary>True for the linear trainer, which takes none of the boosting options: giving one is a usage error.</summary>
    public bool IsLinear(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetValue(Trainer) != Linear)
        {
            return false;
        }

        foreach (Option option in (Option[])[Trees, Leaves, LearningRate, EarlyStopping])
        {
            if (parse.GetResult(option) is { Implicit: false })
            {
                throw new CliException($"{option.Name} applies to --trainer {FastTree} or {LightGbm}, not {Linear}.");
            }
        }

        return true;
    }

    public BoostingChoice Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new BoostingChoice(
            parse.GetValue(Trainer) == FastTree ? BoostingTrainer.FastTree : BoostingTrainer.LightGbm,
            parse.GetValue(Trees),
            parse.GetValue(Leaves),
            parse.GetValue(LearningRate),
            parse.GetValue(EarlyStopping));
    }

    private static Option<int?> Positive(string name, string description, int minimum = 1)
    {
        var option = new Option<int?>(name) { Description = description };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() < minimum)
            {
                result.AddError($"{name} must be at least {minimum}.");
            }
        });
        return option;
    }
}

/// <summary>The boosting options as given; null means the trainer's default.</summary>
internal sealed record BoostingChoice(BoostingTrainer Trainer, int? Trees, int? Leaves, double? LearningRate, int? EarlyStopping)
{
    public string Name => Trainer == BoostingTrainer.FastTree ? BoostingOptions.FastTree : BoostingOptions.LightGbm;
}
