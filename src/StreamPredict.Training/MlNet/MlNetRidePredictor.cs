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
    {
        ArgumentNullException.ThrowIfNull(trained);
        _layout = trained.Layout;
        _indices = new int[_layout.MaxActiveSlots];
        _values = new float[_layout.MaxActiveSlots];
        _engine = trained.Context.Model.CreatePredictionEngine<MlNetData.FeatureRow, ScoreRow>(
            trained.MlNetModel, inputSchemaDefinition: MlNetData.Schema(_layout));
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
