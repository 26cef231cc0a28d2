using Parquet;
using Parquet.Meta;
using StreamPredict.Batch;
using StreamPredict.Batch.Output;
using StreamPredict.Data.Tlc;

namespace StreamPredict.Tests.Batch;

/// <summary>
/// The footer of what the job writes (with ParquetSharp, Arrow's C++ writer), read by Parquet.Net, an independent
/// implementation: the logical types pandas and pyarrow map to object strings and naive datetime64[us] columns, Snappy,
/// dictionaries only where chosen, and min/max statistics where they can serve a reader. (pyarrow itself is not on this machine to read it directly.)
/// </summary>
public sealed class ParquetOutputMetadataTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("streampredict-parquet-meta-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task The_prediction_file_has_the_types_encodings_and_statistics_pandas_expects()
    {
        var input = Path.Combine(_work, "green_tripdata_2021-02.parquet");
        await BatchInputs.WriteParquetAsync(input, repeat: 4, rowsPerGroup: 50);
        var output = Path.Combine(_work, "out", "run-m.parquet");
        var result = await ScoringJob.RunAsync(new ScoringRequest
        {
            Input = DataLocation.Local(input),
            Output = output,
            Model = BatchInputs.CourseForest,
            RunId = "run-m",
        }, new ScoringOptions(), CancellationToken.None);

        await using var reader = await ParquetReader.CreateAsync(output);
        var meta = reader.Metadata!;
        Assert.Equal(result.Scored, meta.NumRows);
        var columns = meta.Schema.Skip(1).ToList();
        Assert.Equal(PredictionColumns.Names(TlcTaxiType.Green), columns.Select(c => c.Name));
        Assert.All(columns, c => Assert.Equal(FieldRepetitionType.REQUIRED, c.RepetitionType));
        foreach (var text in new[] { 0, 2, 3, 7 })
        {
            Assert.Equal(Parquet.Meta.Type.BYTE_ARRAY, columns[text].Type);
            Assert.NotNull(columns[text].LogicalType!.STRING);
        }

        Assert.Equal(Parquet.Meta.Type.INT64, columns[1].Type);
        var timestamp = columns[1].LogicalType!.TIMESTAMP!;
        Assert.False(timestamp.IsAdjustedToUTC);
        Assert.NotNull(timestamp.Unit.MICROS);
        Assert.All(columns.Skip(4).Take(3), c => Assert.Equal(Parquet.Meta.Type.DOUBLE, c.Type));

        var dictionary = new[] { PredictionColumns.PickupLocation, PredictionColumns.DropoffLocation, PredictionColumns.ModelVersion };
        foreach (var chunk in meta.RowGroups.SelectMany(g => g.Columns).Select(c => c.MetaData!))
        {
            var name = chunk.PathInSchema.Single();
            Assert.Equal(CompressionCodec.SNAPPY, chunk.Codec);
            Assert.Equal(dictionary.Contains(name), chunk.Encodings.Contains(Encoding.RLE_DICTIONARY));
            // Min/max where a reader can use them to skip row groups (the time and the numbers); not on the text columns
            // (ParquetOutputOptions).
            var hasStatistics = !dictionary.Contains(name) && name != PredictionColumns.RideId;
            Assert.Equal(hasStatistics, chunk.Statistics?.MinValue is not null);
            Assert.Equal(hasStatistics, chunk.Statistics?.MaxValue is not null);
        }

        // The rejected file: the four row fields required, the five input fields nullable (BatchInputs has bad rows).
        Assert.True(result.Rejected > 0);
        await using var rejected = await ParquetReader.CreateAsync(result.RejectedOutput);
        Assert.Equal(
            [.. Enumerable.Repeat(FieldRepetitionType.REQUIRED, 4), .. Enumerable.Repeat(FieldRepetitionType.OPTIONAL, 5)],
            rejected.Metadata!.Schema.Skip(1).Select(c => c.RepetitionType));
    }

    [Fact]
    public async Task A_failure_of_the_native_writer_names_the_output_and_publishes_nothing()
    {
        // Temp files in a folder that does not exist: Arrow's writer fails to open them (a real ParquetException).
        var destination = new UnwritableDestination(Path.Combine(_work, "final.parquet"), Path.Combine(_work, "missing"));

        var error = await Assert.ThrowsAsync<IOException>(() =>
            ParquetSink.CreateAsync(destination, TlcTaxiType.Green, new(2021, 2), "run-x", CancellationToken.None));

        Assert.Contains(destination.Predictions, error.Message, StringComparison.Ordinal);
        Assert.IsType<ParquetSharp.ParquetException>(error.InnerException);
        Assert.Empty(Directory.GetFiles(_work));
    }

    /// <summary>A destination whose temporary files cannot be created; it never publishes.</summary>
    private sealed class UnwritableDestination(string predictions, string missingFolder) : IParquetDestination
    {
        public string Predictions => predictions;

        public string Rejected => RejectedName.Beside(predictions);

        public (string Predictions, string Rejected) TempFiles() => (Path.Combine(missingFolder, "p.tmp"), Path.Combine(missingFolder, "r.tmp"));

        public Task PublishAsync(string tempFile, string final, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("nothing may be published after a failure");
    }
}
