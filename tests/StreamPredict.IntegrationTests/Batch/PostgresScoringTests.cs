using Npgsql;
using StreamPredict.Batch;
using StreamPredict.Model;

namespace StreamPredict.IntegrationTests.Batch;

/// <summary>The job's PostgreSQL output against a real server (a private cluster started for this class).</summary>
public sealed class PostgresScoringTests : IClassFixture<PostgresFixture>, IDisposable
{
    private static readonly CompiledModel Forest = CompiledModel.Load(File.ReadAllBytes(RepositoryPaths.TestData("course-forest.model.json")));

    private readonly PostgresFixture _postgres;
    private readonly string _work = Directory.CreateTempSubdirectory("streampredict-pg-score-").FullName;
    private readonly string _input;

    public PostgresScoringTests(PostgresFixture postgres)
    {
        _postgres = postgres;
        // The committed February sample, named as the TLC names a month.
        _input = Path.Combine(_work, "green_tripdata_2021-02.csv.gz");
        File.Copy(RepositoryPaths.TestData("tlc/green_tripdata_2021-02.sample.csv.gz"), _input);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private Task<ScoringResult> ScoreAsync(string runId, ScoringOptions? options = null, CancellationToken cancellationToken = default) =>
        ScoringJob.RunAsync(new ScoringRequest { Input = DataLocation.Local(_input), Output = _postgres.Url, Model = Forest, RunId = runId },
            options ?? new ScoringOptions(), cancellationToken);

    private async Task<long> CountAsync(string table, string runId)
    {
        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table} WHERE taxi_type = 'green' AND year = 2021 AND month = 2 AND model_version = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = runId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [PostgresFact]
    public async Task Predictions_and_rejections_land_in_their_tables_with_the_course_values()
    {
        var result = await ScoreAsync("pg-values");

        Assert.Equal(result.Scored, await CountAsync("ride_duration_predictions", "pg-values"));
        Assert.Equal(result.Rejected, await CountAsync("ride_duration_prediction_rejections", "pg-values"));
        Assert.True(result.Scored > 3000);
        Assert.StartsWith("postgresql://streampredict@127.0.0.1:", result.Output, StringComparison.Ordinal);

        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT ride_id, pu_location_id, do_location_id, actual_duration, predicted_duration, diff FROM ride_duration_predictions " +
            "WHERE model_version = 'pg-values' ORDER BY ride_id LIMIT 50", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            Assert.StartsWith("2021/02_", reader.GetString(0), StringComparison.Ordinal);
            var ride = new Ride(reader.GetInt16(1), reader.GetInt16(2), 0);
            Assert.InRange(ride.PickupLocationId, 1, 265);
            Assert.InRange(reader.GetDouble(3), 1, 60);
            Assert.Equal(reader.GetDouble(3) - reader.GetDouble(4), reader.GetDouble(5));
        }

        Assert.Equal(50, rows);
    }

    [PostgresFact]
    public async Task A_rerun_replaces_its_partition_and_leaves_other_model_versions_alone()
    {
        var first = await ScoreAsync("pg-rerun");
        await ScoreAsync("pg-other");
        var again = await ScoreAsync("pg-rerun");

        Assert.Equal(first.Scored, again.Scored);
        Assert.Equal(first.Scored, await CountAsync("ride_duration_predictions", "pg-rerun"));
        Assert.Equal(first.Scored, await CountAsync("ride_duration_predictions", "pg-other"));
    }

    [PostgresFact]
    public async Task A_run_that_stops_midway_rolls_back_and_keeps_the_previous_rows()
    {
        var previous = await ScoreAsync("pg-crash");
        using var crash = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ScoreAsync("pg-crash", new ScoringOptions
        {
            SliceRows = 500,
            Progress = new StopAfter(1000, crash),
        }, crash.Token));

        Assert.Equal(previous.Scored, await CountAsync("ride_duration_predictions", "pg-crash"));
    }

    [PostgresFact]
    public async Task The_table_is_indexed_for_a_month_of_one_model()
    {
        await ScoreAsync("pg-index");

        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT indexdef FROM pg_indexes WHERE tablename = 'ride_duration_predictions'", connection);
        var definition = (string)(await command.ExecuteScalarAsync())!;
        Assert.Contains("(taxi_type, year, month, model_version, ride_id)", definition, StringComparison.Ordinal);

        await using var explain = new NpgsqlCommand(
            "EXPLAIN SELECT * FROM ride_duration_predictions WHERE taxi_type = 'green' AND year = 2021 AND month = 2 AND model_version = 'pg-index'", connection);
        await using (var set = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await set.ExecuteNonQueryAsync();
        }

        var plan = (string)(await explain.ExecuteScalarAsync())!;
        Assert.Contains("ride_duration_predictions_pkey", plan, StringComparison.Ordinal);
    }

    private sealed class StopAfter(long rows, CancellationTokenSource source) : IProgress<long>
    {
        public void Report(long value)
        {
            if (value >= rows)
            {
                source.Cancel();
            }
        }
    }
}
