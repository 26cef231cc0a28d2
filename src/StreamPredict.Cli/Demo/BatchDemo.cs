using ParquetSharp;
using ParquetSharp.Schema;
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

    /// <summary>
    /// predicted_duration of the rows with these ride ids, exactly as stored (parquet doubles are not rounded). Read with
    /// ParquetSharp's logical readers: the CLI runs on the JIT, so their reflection is fine here (the AOT Lambda never reads).
    /// </summary>
    public static Task<Dictionary<string, double>> ReadPredictionsAsync(string path, IReadOnlySet<string> rideIds, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(ReadPredictions(path, rideIds));
    }

    private static Dictionary<string, double> ReadPredictions(string path, IReadOnlySet<string> rideIds)
    {
        var found = new Dictionary<string, double>(StringComparer.Ordinal);
        using var file = new ParquetFileReader(path);
        var schema = file.FileMetaData.Schema;
        var ids = Column(schema, PredictionColumns.RideId, path);
        var predicted = Column(schema, PredictionColumns.PredictedDuration, path);
        for (var group = 0; group < file.FileMetaData.NumRowGroups; group++)
        {
            using var rows = file.RowGroup(group);
            var count = checked((int)rows.MetaData.NumRows);
            using var idColumn = rows.Column(ids);
            using var idReader = idColumn.LogicalReader<string>();
            using var durationColumn = rows.Column(predicted);
            using var durationReader = durationColumn.LogicalReader<double>();
            var idValues = idReader.ReadAll(count);
            var durations = durationReader.ReadAll(count);
            for (var i = 0; i < count; i++)
            {
                if (rideIds.Contains(idValues[i]))
                {
                    found[idValues[i]] = durations[i];
                }
            }
        }

        file.Close();
        return found;
    }

    private static int Column(SchemaDescriptor schema, string name, string path)
    {
        var index = schema.ColumnIndex(name);
        return index >= 0 ? index : throw new InvalidDataException($"'{path}' has no {name} column.");
    }
}
