using Parquet;
using Parquet.Schema;
using StreamPredict.Batch;
using StreamPredict.Batch.Output;
using StreamPredict.Cli.Commands;
using StreamPredict.Cli.Infrastructure;

namespace StreamPredict.Cli.Demo;

/// <summary>
/// The batch mode in the demo: the sample month scored by <see cref="ScoringJob"/> with the model file, as
/// `streampredict score --input … --output … --model …` does, and its prediction file read back.
/// </summary>
internal static class BatchDemo
{
    public static async Task<ScoringResult> ScoreAsync(CliContext context, string input, string model, string output, CancellationToken cancellationToken)
    {
        var loaded = await ModelFiles.LoadAsync(context, model, "model", cancellationToken).ConfigureAwait(false);
        var request = new ScoringRequest { Input = DataLocation.Parse(input, "--input"), Output = output, Model = loaded.Model };
        return await ScoringJob.RunAsync(request, new ScoringOptions(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>predicted_duration of the rows with these ride ids, exactly as stored (parquet doubles are not rounded).</summary>
    public static async Task<Dictionary<string, double>> ReadPredictionsAsync(string path, IReadOnlySet<string> rideIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, double>(StringComparer.Ordinal);
        var reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var fields = reader.Schema.GetDataFields();
            var ids = Field(fields, PredictionColumns.RideId, path);
            var predicted = Field(fields, PredictionColumns.PredictedDuration, path);
            for (var group = 0; group < reader.RowGroupCount; group++)
            {
                using var rows = reader.OpenRowGroupReader(group);
                var count = checked((int)rows.RowCount);
                var idValues = new string?[count];
                var durations = new double[count];
                await rows.ReadAsync(ids, idValues.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                await rows.ReadAsync(predicted, durations.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < count; i++)
                {
                    if (idValues[i] is { } id && rideIds.Contains(id))
                    {
                        found[id] = durations[i];
                    }
                }
            }
        }

        return found;
    }

    private static DataField Field(DataField[] fields, string name, string path) =>
        Array.Find(fields, field => field.Name == name) ?? throw new InvalidDataException($"'{path}' has no {name} column.");
}
