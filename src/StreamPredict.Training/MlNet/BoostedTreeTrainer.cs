using System.Diagnostics;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using StreamPredict.Model;
using StreamPredict.Model.Artifact;
using StreamPredict.Data.Tlc;
using StreamPredict.Training.Linear;

namespace StreamPredict.Training.MlNet;

/// <summary>
/// Gradient-boosted trees with ML.NET (FastTree or LightGBM) on TLC trips, converted into our tree_ensemble artifact
/// and scored with our own engine, which is what serves the model.
/// </summary>
public static class BoostedTreeTrainer
{
    /// <summary>Whether <paramref name="trainer"/> reports each boosting iteration while it trains. ML.NET passes
    /// LightGBM's iterations to no public callback or log, so LightGBM reports only its result.</summary>
    public static bool ReportsIterations(BoostingTrainer trainer) => trainer == BoostingTrainer.FastTree;

    /// <param name="iterations">Receives the number of boosting iterations done so far (FastTree only, see <see cref="ReportsIterations"/>).</param>
    public static BoostedTreeResult Train(TlcDataset training, TlcDataset? validation, BoostedTreeOptions options, IProgress<int>? iterations = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (training.Rows.Count == 0)
        {
            throw new InvalidDataException($"{training.Source} has no trips of 1..60 minutes to train on");
        }

        if (options.EarlyStopping > 0 && validation is null)
        {
            throw new ArgumentException("early stopping needs validation data; give a validation set or set early stopping to 0");
        }

        var clock = Stopwatch.StartNew();
        var context = new MLContext(seed: options.Seed);
        var layout = RideFeatureLayout.Create(training.Rows, options.Encoding);
        IDataView trainView = MlNetData.Load(context, layout, training.Rows);
        IDataView? validView = validation is null ? null : MlNetData.Load(context, layout, validation.Rows);
        using var counter = iterations is null ? null : new IterationCounter(context, iterations);
        (ITransformer model, RegressionTreeEnsemble ensemble) = options.Trainer switch
        {
            BoostingTrainer.FastTree => FitFastTree(context, options, trainView, validView, reportEachIteration: counter is not null),
            _ => FitLightGbm(context, options, trainView, validView),
        };
        TimeSpan fitTime = clock.Elapsed;

        ModelArtifact draft = new()
        {
            Name = options.Name,
            Version = options.Version,
            Features = new FeatureSpec { Columns = layout.Columns },
            Estimator = TreeEnsembleConverter.Convert(ensemble, layout.Length),
            Training = new TrainingMetadata { Producer = Producer(options.Trainer), Source = training.Source },
        };
        ScoredArtifact scored = ScoredArtifact.Score(draft, draft.Training.Producer, training, validation);

        return new BoostedTreeResult
        {
            Artifact = scored.Artifact,
            Model = scored.Model,
            TrainRmse = scored.TrainRmse,
            ValidationRmse = scored.ValidationRmse,
            Trees = ensemble.Trees.Count,
            Columns = layout.Length,
            FitTime = fitTime,
            MlNetModel = model,
            Context = context,
            Layout = layout,
        };
    }

    /// <summary>What the artifact says produced it, with ML.NET's package version (its assembly version is always 1.0.0).</summary>
    public static string Producer(BoostingTrainer trainer) =>
        $"streampredict ML.NET {(trainer == BoostingTrainer.FastTree ? "FastTree" : "LightGBM")} {MlNetVersion}";

    private static string MlNetVersion =>
        typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "(unknown version)";

    private static (ITransformer, RegressionTreeEnsemble) FitFastTree(
        MLContext context, BoostedTreeOptions options, IDataView train, IDataView? valid, bool reportEachIteration)
    {
        var trainerOptions = new FastTreeRegressionTrainer.Options
        {
            NumberOfTrees = options.Trees,
            NumberOfLeaves = options.Leaves,
            LearningRate = options.LearningRate,
            MinimumExampleCountPerLeaf = options.MinExamplesPerLeaf,
            CategoricalSplit = true,
            EarlyStoppingMetric = EarlyStoppingMetric.L2Norm,
            // Metrics after every iteration are what IterationCounter counts; int.MaxValue is FastTree's "never".
            TestFrequency = reportEachIteration ? 1 : int.MaxValue,
            NumberOfThreads = options.Threads,
            LabelColumnName = MlNetData.LabelColumn,
            FeatureColumnName = MlNetData.FeaturesColumn,
        };
        if (options.EarlyStopping > 0)
        {
            // Patience: stop after N iterations without a better validation score; FastTree then keeps the best ensemble.
            trainerOptions.EarlyStoppingRule = new ConsecutiveGeneralityLossRule(options.EarlyStopping);
        }

        var model = context.Regression.Trainers.FastTree(trainerOptions).Fit(train, valid);
        return (model, model.Model.TrainedTreeEnsemble ?? throw new InvalidOperationException("FastTree returned no tree ensemble"));
    }

    private static (ITransformer, RegressionTreeEnsemble) FitLightGbm(MLContext context, BoostedTreeOptions options, IDataView train, IDataView? valid)
    {
        var trainerOptions = new LightGbmRegressionTrainer.Options
        {
            NumberOfIterations = options.Trees,
            NumberOfLeaves = options.Leaves,
            LearningRate = options.LearningRate,
            MinimumExampleCountPerLeaf = options.MinExamplesPerLeaf,
            // Always on: without it ML.NET decides by row count (categorical only above 50,000 rows).
            UseCategoricalSplit = true,
            EarlyStoppingRound = options.EarlyStopping,
            EvaluationMetric = LightGbmRegressionTrainer.Options.EvaluateMetricType.RootMeanSquaredError,
            Seed = options.Seed,
            NumberOfThreads = options.Threads ?? 1,
            LabelColumnName = MlNetData.LabelColumn,
            FeatureColumnName = MlNetData.FeaturesColumn,
        };
        var model = context.Regression.Trainers.LightGbm(trainerOptions).Fit(train, valid);
        return (model, model.Model.TrainedTreeEnsemble ?? throw new InvalidOperationException("LightGBM returned no tree ensemble"));
    }

    /// <summary>
    /// Counts FastTree's boosting iterations from ML.NET's log: with a test frequency of 1, FastTree's training channel
    /// logs the training metrics ("train.L2=…") once after every iteration. ML.NET has no other per-iteration signal.
    /// </summary>
    private sealed class IterationCounter : IDisposable
    {
        private readonly MLContext _context;
        private readonly IProgress<int> _progress;
        private int _count;

        public IterationCounter(MLContext context, IProgress<int> progress)
        {
            (_context, _progress) = (context, progress);
            _context.Log += OnLog;
        }

        public void Dispose() => _context.Log -= OnLog;

        private void OnLog(object? sender, LoggingEventArgs e)
        {
            if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && e.Message.Contains("train.L2=", StringComparison.Ordinal))
            {
                _progress.Report(Interlocked.Increment(ref _count));
            }
        }
    }
}
