using System.Globalization;
using StreamPredict.Batch;
using StreamPredict.Data.Tlc;
using StreamPredict.Model;

namespace StreamPredict.Tests.Batch;

public sealed class ScoringJobTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("streampredict-score-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private string Input => Path.Combine(_work, "in", "green_tripdata_2021-02.parquet");

    private string Output => Path.Combine(_work, "out", "run-1.parquet");

    private async Task<ScoringResult> ScoreAsync(ScoringOptions? options = null, string? input = null, ScoringMonth? month = null, CancellationToken cancellationToken = default) =>
        await ScoringJob.RunAsync(new ScoringRequest
        {
            Input = DataLocation.Local(input ?? Input),
            Output = Output,
            Model = BatchInputs.CourseForest,
            RunId = "run-1",
            Month = month,
        }, options ?? new ScoringOptions(), cancellationToken);

    private async Task WriteInputAsync(int repeat = 1, int rowsPerGroup = 1000)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Input)!);
        await BatchInputs.WriteParquetAsync(Input, repeat, rowsPerGroup);
    }

    [Fact]
    public async Task Every_row_is_scored_filtered_or_rejected_and_the_counts_add_up()
    {
        await WriteInputAsync(repeat: 3, rowsPerGroup: 7);

        var result = await ScoreAsync(new ScoringOptions { SliceRows = 5 });

        var expected = BatchInputs.Rows.Select(r => r.Expect).ToList();
        Assert.Equal(3 * expected.Count, result.RowsIn);
        Assert.Equal(3 * expected.Count(e => e == "scored"), result.Scored);
        Assert.Equal(3 * expected.Count(e => e == "filtered"), result.Filtered);
        Assert.Equal(result.RowsIn - result.Scored - result.Filtered, result.Rejected);
        Assert.True(result.Conserved);
        Assert.Equal(
            expected.Where(e => e is not ("scored" or "filtered")).GroupBy(e => e).ToDictionary(g => g.Key, g => 3L * g.Count()),
            result.RejectedByReason.ToDictionary());
        Assert.Equal(("green", "2021-02", "run-1"), (result.TaxiType, result.Month.ToString(), result.ModelVersion));
    }

    [Fact]
    public async Task Output_has_the_course_columns_in_order_with_deterministic_ride_ids_and_the_model_predictions()
    {
        await WriteInputAsync(repeat: 2, rowsPerGroup: 5);

        await ScoreAsync(new ScoringOptions { SliceRows = 3 });

        var (schema, rows, _) = await OutputFiles.ReadPredictionsAsync(Output);
        Assert.Equal(
            ["ride_id", "lpep_pickup_datetime", "PULocationID", "DOLocationID", "actual_duration", "predicted_duration", "diff", "model_version"],
            schema.Select(c => c.Name));
        Assert.Equal([typeof(ReadOnlyMemory<char>), typeof(DateTime), typeof(ReadOnlyMemory<char>), typeof(ReadOnlyMemory<char>), typeof(double), typeof(double), typeof(double), typeof(ReadOnlyMemory<char>)],
            schema.Select(c => c.Type));
        var scoredIndices = Enumerable.Range(0, 2 * BatchInputs.Rows.Length).Where(i => BatchInputs.Rows[i % BatchInputs.Rows.Length].Expect == "scored").ToList();
        Assert.Equal(scoredIndices.Select(i => string.Create(CultureInfo.InvariantCulture, $"2021/02_{i}")), rows.Select(r => r.RideId));
        foreach (var (row, index) in rows.Zip(scoredIndices))
        {
            var source = BatchInputs.Rows[index % BatchInputs.Rows.Length];
            var ride = new Ride((int)source.Pu!.Value, (int)source.Do!.Value, source.Distance!.Value);
            Assert.Equal(source.Pickup, row.Pickup);
            Assert.Equal(((int)source.Pu).ToString(CultureInfo.InvariantCulture), row.PickupZone);
            Assert.Equal(((int)source.Do).ToString(CultureInfo.InvariantCulture), row.DropoffZone);
            Assert.Equal((source.Dropoff!.Value - source.Pickup!.Value).TotalMinutes, row.Actual);
            Assert.Equal(BatchInputs.CourseForest.Predict(ride), row.Predicted);
            Assert.Equal(row.Actual - row.Predicted, row.Diff);
            Assert.Equal("run-1", row.ModelVersion);
        }
    }

    [Fact]
    public async Task Bad_rows_go_to_the_rejected_file_beside_the_output_with_their_reasons()
    {
        await WriteInputAsync();

        var result = await ScoreAsync();

        Assert.Equal(Path.Combine(_work, "out", "run-1.rejected.parquet"), result.RejectedOutput);
        var rejected = await OutputFiles.ReadRejectedAsync(result.RejectedOutput);
        var expected = BatchInputs.Rows.Select((r, i) => (r, i)).Where(x => x.r.Expect is not ("scored" or "filtered")).ToList();
        Assert.Equal(expected.Select(x => (long)x.i), rejected.Select(r => r.RowIndex));
        Assert.Equal(expected.Select(x => x.r.Expect), rejected.Select(r => r.ReasonCode));
        Assert.Equal(expected.Select(x => $"2021/02_{x.i}"), rejected.Select(r => r.RideId));
        var zone300 = rejected.Single(r => r.DropoffZone == 300);
        Assert.Equal("DOLocationID 300 is missing or outside the TLC taxi zones 1..265", zone300.Reason);
        Assert.Equal("PULocationID 43.5 is not a whole zone id", rejected.Single(r => r.PickupZone == 43.5).Reason);
        Assert.Equal("trip_distance -1 is negative", rejected.Single(r => r.Distance == -1).Reason);
        Assert.Contains("lpep_pickup_datetime is missing", rejected.Select(r => r.Reason));
        Assert.Null(rejected.Single(r => r.ReasonCode == "distance_missing").Distance);
    }

    [Fact]
    public async Task A_rerun_replaces_the_output_with_identical_bytes()
    {
        await WriteInputAsync(repeat: 4, rowsPerGroup: 9);

        await ScoreAsync(new ScoringOptions { SliceRows = 4 });
        var first = (File.ReadAllBytes(Output), File.ReadAllBytes(RejectedPath));
        await ScoreAsync(new ScoringOptions { SliceRows = 4, Parallelism = 1 });

        Assert.Equal(first.Item1, File.ReadAllBytes(Output));
        Assert.Equal(first.Item2, File.ReadAllBytes(RejectedPath));
        Assert.Equal(["run-1.parquet", "run-1.rejected.parquet"], Directory.GetFiles(Path.GetDirectoryName(Output)!).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private string RejectedPath => Path.Combine(_work, "out", "run-1.rejected.parquet");

    [Fact]
    public async Task A_run_that_stops_midway_leaves_the_previous_output_and_no_partial_file()
    {
        await WriteInputAsync(repeat: 20, rowsPerGroup: 16);
        Directory.CreateDirectory(Path.GetDirectoryName(Output)!);
        File.WriteAllText(Output, "the previous run's file");
        using var crash = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ScoreAsync(new ScoringOptions
        {
            SliceRows = 8,
            // Stop once some rows have been written to the temporary file.
            Progress = new SynchronousProgress(rows => { if (rows >= 32) { crash.Cancel(); } }),
        }, cancellationToken: crash.Token));

        Assert.Equal("the previous run's file", File.ReadAllText(Output));
        Assert.Equal(["run-1.parquet"], Directory.GetFiles(Path.GetDirectoryName(Output)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_month_comes_from_the_file_name_or_is_asked_for()
    {
        var unnamed = Path.Combine(_work, "in", "trips.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(unnamed)!);
        await BatchInputs.WriteParquetAsync(unnamed);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ScoreAsync(input: unnamed));
        Assert.Contains("'trips.parquet'", error.Message, StringComparison.Ordinal);
        Assert.Contains("--year and --month", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Output));

        var result = await ScoreAsync(input: unnamed, month: new ScoringMonth(2020, 12));
        var (_, rows, _) = await OutputFiles.ReadPredictionsAsync(Output);
        Assert.Equal("2020-12", result.Month.ToString());
        Assert.Equal("2020/12_0", rows[0].RideId);
    }

    [Fact]
    public async Task A_file_of_the_other_taxi_type_is_refused()
    {
        await WriteInputAsync();

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ScoringJob.RunAsync(new ScoringRequest
        {
            Input = DataLocation.Local(Input),
            Output = Output,
            Model = BatchInputs.CourseForest,
            TaxiType = TlcTaxiType.Yellow,
        }, new ScoringOptions(), CancellationToken.None));

        Assert.Contains("holds green taxi trips (lpep_pickup_datetime), but --taxi-type is yellow", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_gz_input_is_scored_like_parquet()
    {
        var sample = RepositoryPaths.TestData("tlc/green_tripdata_2021-02.sample.csv.gz");

        var result = await ScoreAsync(input: sample);

        Assert.True(result.Scored > 3000);
        Assert.True(result.Conserved);
        // The trainer's rows are the 1..60-minute ones; scoring also applies the zone and distance rules of every mode.
        var training = TlcDataset.ReadFile(sample).Rows;
        Assert.Equal(training.Count(r => RideValidator.Validate(r.Ride) is null), result.Scored);
        Assert.Equal(training.Count - result.Scored, result.Rejected);
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool, too late to stop a small run).</summary>
    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
