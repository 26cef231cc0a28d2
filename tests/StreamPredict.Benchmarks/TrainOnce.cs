using System.Diagnostics;
using StreamPredict.Model.Artifact;
using StreamPredict.Data.Tlc;
using StreamPredict.Training.Linear;

namespace StreamPredict.Benchmarks;

/// <summary>One read-and-fit run, timed from inside the process (after startup, JIT included), with its RMSE figures.</summary>
internal static class TrainOnce
{
    public static int Run(string[] args)
    {
        if (args.Length is < 1 or > 3)
        {
            Console.Error.WriteLine("usage: train TRAIN.csv[.gz] [VALIDATION.csv[.gz]] [OUT.model.json]");
            return 2;
        }

        var clock = Stopwatch.StartNew();
        TlcDataset training = TlcDataset.ReadFile(args[0]);
        TrainingResult result = LinearRegressionTrainer.Train(training);
        clock.Stop();

        TlcDataset? validation = args.Length > 1 ? TlcDataset.ReadFile(args[1]) : null;
        TrainingResult scored = validation is null ? result : LinearRegressionTrainer.Train(training, validation);
        Console.WriteLine($"read + train {training.Source}: {clock.Elapsed.TotalMilliseconds:F0} ms");
        Console.WriteLine($"rows {training.Rows.Count} (read {training.RowsRead}, missing values {training.SkippedMissingValues}, outside 1..60 min {training.OutsideDurationRange}), pairs {result.Categories}");
        Console.WriteLine($"train RMSE {scored.TrainRmse:F4}");
        if (validation is not null)
        {
            Console.WriteLine($"validation RMSE {scored.ValidationRmse:F4} on {validation.Source} ({validation.Rows.Count} rows)");
        }

        if (args.Length > 2)
        {
            ModelArtifactWriter.WriteFile(scored.Artifact, args[2]);
            Console.WriteLine($"wrote {args[2]}");
        }

        return 0;
    }
}
