using Npgsql;
using NpgsqlTypes;
using StreamPredict.Data.Tlc;

namespace StreamPredict.Batch.Postgres;

/// <summary>
/// Predictions into <see cref="PredictionTables.Predictions"/> and bad rows into <see cref="PredictionTables.Rejections"/>
/// with binary COPY, inside one transaction that first deletes the month's partition: committed whole or not at all.
/// </summary>
internal sealed class PostgresSink : Output.IScoringSink
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly string _taxiType;
    private readonly ScoringMonth _month;
    private readonly string _modelVersion;
    private readonly string _rideIdPrefix;
    private readonly string _display;

    private PostgresSink(NpgsqlConnection connection, NpgsqlTransaction transaction, string taxiType, ScoringMonth month, string modelVersion, string display)
    {
        _connection = connection;
        _transaction = transaction;
        _taxiType = taxiType;
        _month = month;
        _modelVersion = modelVersion;
        _rideIdPrefix = RideIds.Prefix(month);
        _display = display;
    }

    public string Destination => $"{_display} table {PredictionTables.Predictions}";

    public string RejectedDestination => $"{_display} table {PredictionTables.Rejections}";

    public static async Task<PostgresSink> CreateAsync(PostgresTarget target, TlcTaxiType taxiType, ScoringMonth month, string modelVersion, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(target.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await CreateTablesAsync(connection, cancellationToken).ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var table in new[] { PredictionTables.Predictions, PredictionTables.Rejections })
            {
                var delete = new NpgsqlCommand($"DELETE FROM {table} WHERE {PredictionTables.PartitionFilter}", connection, transaction);
                await using (delete.ConfigureAwait(false))
                {
                    AddPartition(delete, taxiType.Name(), month, modelVersion);
                    await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            return new PostgresSink(connection, transaction, taxiType.Name(), month, modelVersion, target.Display);
        }
        catch (NpgsqlException exception)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"PostgreSQL {target}: {exception.Message}", exception);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task WriteAsync(ScoredChunk chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        try
        {
            if (chunk.Scored > 0)
            {
                await CopyPredictionsAsync(chunk, cancellationToken).ConfigureAwait(false);
            }

            if (chunk.Rejected.Count > 0)
            {
                await CopyRejectionsAsync(chunk.Rejected, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (NpgsqlException exception)
        {
            throw new IOException($"PostgreSQL {_display}: {exception.Message}", exception);
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // Disposing an uncommitted transaction rolls it back: the partition keeps its earlier rows.

        await _transaction.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task CopyPredictionsAsync(ScoredChunk chunk, CancellationToken cancellationToken)
    {
        var import = await _connection.BeginBinaryImportAsync(
            $"COPY {PredictionTables.Predictions} ({PredictionTables.PredictionColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        await using (import.ConfigureAwait(false))
        {
            for (var i = 0; i < chunk.Scored; i++)
            {
                var ride = chunk.Rides[i];
                await import.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await WritePartitionAsync(import, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(_rideIdPrefix + chunk.RowIndex[i].ToString(System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(Unzoned(chunk.Pickup[i]), NpgsqlDbType.Timestamp, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync((short)ride.PickupLocationId, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync((short)ride.DropoffLocationId, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(chunk.ActualDuration[i], NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(chunk.PredictedDuration[i], NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(chunk.ActualDuration[i] - chunk.PredictedDuration[i], NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            }

            await import.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CopyRejectionsAsync(IReadOnlyList<RejectedRow> rows, CancellationToken cancellationToken)
    {
        var import = await _connection.BeginBinaryImportAsync(
            $"COPY {PredictionTables.Rejections} ({PredictionTables.RejectionColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        await using (import.ConfigureAwait(false))
        {
            foreach (var row in rows)
            {
                var trip = row.Trip;
                await import.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await WritePartitionAsync(import, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.RowIndex, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(_rideIdPrefix + row.RowIndex.ToString(System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.Code, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.Reason, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await WriteOrNullAsync(import, trip.Has(TlcFields.Pickup), Unzoned(trip.Pickup), NpgsqlDbType.Timestamp, cancellationToken).ConfigureAwait(false);
                await WriteOrNullAsync(import, trip.Has(TlcFields.Dropoff), Unzoned(trip.Dropoff), NpgsqlDbType.Timestamp, cancellationToken).ConfigureAwait(false);
                await WriteOrNullAsync(import, trip.Has(TlcFields.PickupLocation), trip.PickupLocationId, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await WriteOrNullAsync(import, trip.Has(TlcFields.DropoffLocation), trip.DropoffLocationId, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await WriteOrNullAsync(import, trip.Has(TlcFields.Distance), trip.TripDistance, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            }

            await import.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WritePartitionAsync(NpgsqlBinaryImporter import, CancellationToken cancellationToken)
    {
        await import.WriteAsync(_taxiType, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        await import.WriteAsync((short)_month.Year, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
        await import.WriteAsync((short)_month.Month, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
        await import.WriteAsync(_modelVersion, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteOrNullAsync<T>(NpgsqlBinaryImporter import, bool present, T value, NpgsqlDbType type, CancellationToken cancellationToken)
    {
        if (present)
        {
            await import.WriteAsync(value, type, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await import.WriteNullAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>TLC times are wall-clock times without a zone, which is what a PostgreSQL timestamp (without time zone) holds.</summary>
    private static DateTime Unzoned(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Unspecified);

    private static void AddPartition(NpgsqlCommand command, string taxiType, ScoringMonth month, string modelVersion)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = taxiType });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)month.Year });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)month.Month });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = modelVersion });
    }

    private static async Task CreateTablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            foreach (var sql in new[] { $"SELECT pg_advisory_xact_lock({PredictionTables.CreateLockKey})", PredictionTables.CreateSql })
            {
                var command = new NpgsqlCommand(sql, connection, transaction);
                await using (command.ConfigureAwait(false))
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
