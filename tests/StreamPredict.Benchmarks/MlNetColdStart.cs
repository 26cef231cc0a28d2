using System.Diagnostics;
using System.Globalization;
using StreamPredict.Model;
using StreamPredict.Model.Artifact;
using StreamPredict.Training.MlNet;

namespace StreamPredict.Benchmarks;

/// <summary>
/// What serving with ML.NET would add to a cold start: fresh processes that load the same trained LightGBM model and
/// predict one ride, either ML.NET's way (MLContext, Model.Load of its zip, CreatePredictionEngine, Predict) or ours
/// (CompiledModel.Load of the artifact, Predict). Runs alternate; medians are reported.
/// </summary>
/// <remarks>
/// Both children are this framework-dependent, JIT-compiled benchmark program, not the function's composite ReadyToRun
/// build: ML.NET is neither trimmable nor AOT-compatible, so it could not join that build anyway. The difference between
/// the two children is what ML.NET adds.
/// </remarks>
internal static class MlNetColdStart
{
    private static readonly Ride CourseRide = new(130, 205, 3.66);

    public static int Run(string[] args)
    {
        // The children dispatch before anything else runs, so neither loads what the other needs.
        return args switch
        {
            ["child-ours", string artifact] => ChildOurs(artifact),
            ["child-mlnet", string zip, string columns] => ChildMlNet(zip, columns),
            [] => Compare(10),
            [string runs] when int.TryParse(runs, CultureInfo.InvariantCulture, out int count) && count > 0 => Compare(count),
            _ => Usage(),
        };
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: mlnet-coldstart [RUNS]   (default 10 fresh processes per side)");
        return 2;
    }

    private static int Compare(int runs)
    {
        string folder = Directory.CreateTempSubdirectory("mlnet-coldstart-").FullName;
        try
        {
            (string artifact, string zip, string columns) = Prepare(folder);
            var ours = new List<Sample>();
            var mlNet = new List<Sample>();
            for (int i = 0; i < runs; i++)
            {
                ours.Add(Child("child-ours", artifact));
                mlNet.Add(Child("child-mlnet", zip, columns));
            }

            Report("ours (CompiledModel.Load + Predict)", ours, new FileInfo(artifact).Length);
            Report("ML.NET (MLContext + Model.Load + CreatePredictionEngine + Predict)", mlNet, new FileInfo(zip).Length);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ML.NET adds {Median(mlNet, s => s.LoadMs) - Median(ours, s => s.LoadMs):F1} ms to load-and-first-prediction, {Median(mlNet, s => s.ProcessMs) - Median(ours, s => s.ProcessMs):F1} ms to the process, {Median(mlNet, s => s.WorkingSetMb) - Median(ours, s => s.WorkingSetMb):F1} MB of working set"));
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (string Artifact, string Zip, string Columns) Prepare(string folder)
    {
        var (training, validation) = BenchData.CourseSplit();
        BoostedTreeResult trained = BoostedTreeTrainer.Train(training, validation, new BoostedTreeOptions());
        string artifact = Path.Combine(folder, "model.json");
        string zip = Path.Combine(folder, "mlnet-model.zip");
        string columns = Path.Combine(folder, "columns.txt");
        ModelArtifactWriter.WriteFile(trained.Artifact, artifact);
        MlNetRidePredictor.Save(trained, zip);
        File.WriteAllLines(columns, trained.Artifact.Features.Columns);
        Console.WriteLine($"model: LightGBM, {trained.Trees} trees, {trained.Columns} columns, trained on {training.Source} ({training.Rows.Count:N0} trips)");
        return (artifact, zip, columns);
    }

    private static int ChildOurs(string artifact)
    {
        var clock = Stopwatch.StartNew();
        CompiledModel model = CompiledModel.Load(File.ReadAllBytes(artifact));
        double prediction = model.Predict(in CourseRide);
        return Print(clock, prediction);
    }

    private static int ChildMlNet(string zip, string columns)
    {
        var clock = Stopwatch.StartNew();
        using MlNetRidePredictor model = MlNetRidePredictor.Load(zip, File.ReadAllLines(columns));
        double prediction = model.Predict(in CourseRide);
        return Print(clock, prediction);
    }

    private static int Print(Stopwatch clock, double prediction)
    {
        double loadMs = clock.Elapsed.TotalMilliseconds;
        using var self = Process.GetCurrentProcess();
        double processMs = (DateTime.Now - self.StartTime).TotalMilliseconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{loadMs:F3} {processMs:F3} {Environment.WorkingSet / 1048576.0:F1} {prediction:R}"));
        return 0;
    }

    private static Sample Child(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("mlnet-coldstart");
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process child = Process.Start(start)!;
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        string[] fields = output.Trim().Split(' ');
        if (child.ExitCode != 0 || fields.Length != 4)
        {
            throw new InvalidOperationException($"{string.Join(' ', args)} exited {child.ExitCode}: {output}");
        }

        return new Sample(Parse(fields[0]), Parse(fields[1]), Parse(fields[2]), Parse(fields[3]));
    }

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static void Report(string side, List<Sample> samples, long bytes) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{side}: load + first prediction median {Median(samples, s => s.LoadMs):F1} ms (min {samples.Min(s => s.LoadMs):F1}, max {samples.Max(s => s.LoadMs):F1}); process start to prediction {Median(samples, s => s.ProcessMs):F1} ms; working set {Median(samples, s => s.WorkingSetMb):F1} MB; model file {bytes / 1024.0:F0} KiB; prediction {samples[0].Prediction:F6}"));

    private static double Median(List<Sample> samples, Func<Sample, double> value)
    {
        double[] sorted = [.. samples.Select(value).Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed record Sample(double LoadMs, double ProcessMs, double WorkingSetMb, double Prediction);
}
