using Parquet.Schema;
using StreamPredict.Model;
using StreamPredict.Tests.Data;

namespace StreamPredict.Tests.Batch;

/// <summary>Hand-made month files: every kind of row the job must sort, with the expected outcome of each.</summary>
internal static class BatchInputs
{
    public static readonly DateTime T0 = new(2021, 2, 1, 8, 0, 0);

    public static CompiledModel CourseForest { get; } = CompiledModel.Load(File.ReadAllBytes(RepositoryPaths.TestData("course-forest.model.json")));

    /// <summary>(pickup, dropoff, PU, DO, distance, expected code or "scored"/"filtered").</summary>
    public static readonly (DateTime? Pickup, DateTime? Dropoff, double? Pu, double? Do, double? Distance, string Expect)[] Rows =
    [
        (T0, T0.AddMinutes(21), 130, 205, 3.66, "scored"),
        (T0, T0.AddSeconds(30), 130, 205, 0.1, "filtered"),
        (T0, T0.AddMinutes(61), 43, 151, 20, "filtered"),
        (T0, T0.AddMinutes(-5), 43, 151, 1, "filtered"),
        (T0, T0.AddMinutes(10), null, 151, 1, "location_id_missing"),
        (T0, T0.AddMinutes(10), 43, 300, 1, "invalid_location_id"),
        (T0, T0.AddMinutes(10), 43.5, 151, 1, "invalid_location_id"),
        (T0, T0.AddMinutes(10), 43, 151, null, "distance_missing"),
        (T0, T0.AddMinutes(10), 43, 151, -1, "invalid_distance"),
        (T0, T0.AddMinutes(10), 43, 151, double.PositiveInfinity, "invalid_distance"),
        (T0, T0.AddMinutes(10), 43, 151, 900, "invalid_distance"),
        (null, T0.AddMinutes(10), 43, 151, 1, "timestamp_missing"),
        (new DateTime(1960, 1, 1), new DateTime(1960, 1, 1, 0, 10, 0), 43, 151, 1, "timestamp_negative"),
        (T0, T0.AddMinutes(60), 1, 265, 0, "scored"),
        (T0.AddHours(1), T0.AddHours(1).AddMinutes(1), 74, 75, 0.5, "scored"),
        (T0, T0.AddMinutes(400), null, null, null, "filtered"),
    ];

    /// <summary>Writes <see cref="Rows"/>, repeated <paramref name="repeat"/> times, as green parquet with double ids.</summary>
    public static Task WriteParquetAsync(string path, int repeat = 1, int rowsPerGroup = 1000)
    {
        var rows = Enumerable.Repeat(Rows, repeat).SelectMany(r => r).ToArray();
        return TlcParquetFile.WriteAsync(path, rows.Length, rowsPerGroup,
            TlcParquetFile.Of<long>("VendorID", [.. rows.Select(_ => (long?)2)]),
            TlcParquetFile.Timestamps("lpep_pickup_datetime", DateTimeFormat.Timestamp, [.. rows.Select(r => r.Pickup)]),
            TlcParquetFile.Timestamps("lpep_dropoff_datetime", DateTimeFormat.Timestamp, [.. rows.Select(r => r.Dropoff)]),
            TlcParquetFile.Of<double>("PULocationID", [.. rows.Select(r => r.Pu)]),
            TlcParquetFile.Of<double>("DOLocationID", [.. rows.Select(r => r.Do)]),
            TlcParquetFile.Of<double>("trip_distance", [.. rows.Select(r => r.Distance)]));
    }
}
