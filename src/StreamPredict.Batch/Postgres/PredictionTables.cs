namespace StreamPredict.Batch.Postgres;

/// <summary>
/// The tables the batch job writes. A month's predictions from one model are one partition, keyed by
/// (taxi_type, year, month, model_version): a run deletes that partition and inserts it again in one transaction, so a
/// re-run replaces and readers see the old rows or the new, never a mix. The primary key is also the index for the obvious
/// queries: a month's predictions from a model, and one ride.
/// </summary>
public static class PredictionTables
{
    public const string Predictions = "ride_duration_predictions";
    public const string Rejections = "ride_duration_prediction_rejections";

    /// <summary>Idempotent DDL, run under an advisory lock so that parallel backfill months do not race to create it.</summary>
    public const string CreateSql = $"""
        CREATE TABLE IF NOT EXISTS {Predictions} (
            taxi_type          text             NOT NULL,
            year               smallint         NOT NULL,
            month              smallint         NOT NULL,
            model_version      text             NOT NULL,
            ride_id            text             NOT NULL,
            pickup_datetime    timestamp        NOT NULL,
            pu_location_id     smallint         NOT NULL,
            do_location_id     smallint         NOT NULL,
            actual_duration    double precision NOT NULL,
            predicted_duration double precision NOT NULL,
            diff               double precision NOT NULL,
            PRIMARY KEY (taxi_type, year, month, model_version, ride_id)
        );
        CREATE TABLE IF NOT EXISTS {Rejections} (
            taxi_type        text             NOT NULL,
            year             smallint         NOT NULL,
            month            smallint         NOT NULL,
            model_version    text             NOT NULL,
            row_index        bigint           NOT NULL,
            ride_id          text             NOT NULL,
            reason_code      text             NOT NULL,
            reason           text             NOT NULL,
            pickup_datetime  timestamp,
            dropoff_datetime timestamp,
            pu_location_id   double precision,
            do_location_id   double precision,
            trip_distance    double precision,
            PRIMARY KEY (taxi_type, year, month, model_version, row_index)
        );
        """;

    /// <summary>Any constant: it only has to be the same for every process that creates the tables.</summary>
    public const long CreateLockKey = 0x5354_5250_5245_4431;

    public const string PredictionColumns =
        "taxi_type, year, month, model_version, ride_id, pickup_datetime, pu_location_id, do_location_id, actual_duration, predicted_duration, diff";

    public const string RejectionColumns =
        "taxi_type, year, month, model_version, row_index, ride_id, reason_code, reason, pickup_datetime, dropoff_datetime, pu_location_id, do_location_id, trip_distance";

    public const string PartitionFilter = "taxi_type = $1 AND year = $2 AND month = $3 AND model_version = $4";
}
