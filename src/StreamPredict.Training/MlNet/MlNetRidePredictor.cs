using Microsoft.ML;
using Microsoft.ML.Data;
using StreamPredict.Model;

namespace StreamPredict.Training.MlNet;

/// <summary>
/// ML.NET's own PredictionEngine over a trained model, fed rides the way training fed them: the reference our converted
/// model must match (parity tests) and what our engine is benchmarked against.
/// </summary>
/// <remarks>Reuses its input row, feature buffers and output row, so a prediction costs only what ML.NET itself allocates.</remarks>
public sealed class MlNetRidePredictor : IDisposable
{
    private readonly PredictionEngine<MlNetData.FeatureRow, ScoreRow> _engine;
    private readonly RideFeatureLayout _layout;
    private readonly MlNetData.FeatureRow _input = new();
    private readonly int[] _indices;
    private readonly float[] _values;
    private ScoreRow _output = new();

    public MlNetRidePredictor(BoostedTreeResult trained)
        : this(Required(trained).Context, trained.MlNetModel, trained.Layout)
    {
    }

    private MlNetRidePredictor(MLContext context, ITransformer model, RideFeatureLayout layout)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(model);
        _layout = layout;
        _indices = new int[_layout.MaxActiveSlots];
        _values = new float[_layout.MaxActiveSlots];
        _engine = context.Model.CreatePredictionEngine<MlNetData.FeatureRow, ScoreRow>(model, inputSchemaDefinition: MlNetData.Schema(_layout));
    }

    /// <summary>Saves ML.NET's model as ML.NET's own zip (what a service built on ML.NET would load).</summary>
    public static void Save(BoostedTreeResult trained, string path)
    {
        ArgumentNullException.ThrowIfNull(trained);
        DataViewSchema schema = trained.Context.Data.LoadFromEnumerable(new List<MlNetData.FeatureRow>(), MlNetData.Schema(trained.Layout)).Schema;
        trained.Context.Model.Save(trained.MlNetModel, schema, path);
    }

    /// <summary>Loads a zip written by <see cref="Save"/>; <paramref name="columns"/> are the converted artifact's feature columns.</summary>
    public static MlNetRidePredictor Load(string path, IReadOnlyList<string> columns)
    {
        var context = new MLContext();
        ITransformer model = context.Model.Load(path, out _);
        return new MlNetRidePredictor(context, model, RideFeatureLayout.FromColumns(columns));
    }

    private static BoostedTreeResult Required(BoostedTreeResult trained)
    {
        ArgumentNullException.ThrowIfNull(trained);
        return trained;
    }

    /// <summary>ML.NET's prediction (a float32 Score) for the ride.</summary>
    public float Predict(in Ride ride)
    {
        int count = _layout.Fill(in ride, _indices, _values);
        _input.Features = new VBuffer<float>(_layout.Length, count, _values, _indices);
        _engine.Predict(_input, ref _output);
        return _output.Score;
    }

    public void Dispose() => _engine.Dispose();

    /// <summary>The regression trainers' output column.</summary>
    public sealed class ScoreRow
    {
        public float Score { get; set; }
    }
}
