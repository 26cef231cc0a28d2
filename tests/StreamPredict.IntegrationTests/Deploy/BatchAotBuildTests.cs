using System.Runtime.Versioning;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using StreamPredict.Data.Tlc;
using StreamPredict.LocalLambda.Runtime;

namespace StreamPredict.IntegrationTests.Deploy;

/// <summary>
/// The batch function's Makefile target (what `sam build` runs) produces a NativeAOT bootstrap, and that native
/// executable really scores months through the Runtime API: parquet with string and int64 zone ids, and csv.gz.
/// </summary>
public class BatchAotBuildTests
{
    [ToolFact("make", "dotnet")]
    [UnsupportedOSPlatform("windows")]
    public async Task Makefile_publishes_a_native_bootstrap_that_scores_a_month()
    {
        var work = Directory.CreateTempSubdirectory("streampredict-batch-aot-");
        try
        {
            var artifacts = Path.Combine(work.FullName, "artifacts");
            var scratch = work.CreateSubdirectory("scratch").FullName;
            var makefile = Path.Combine(Tools.RepositoryRoot, "src", "StreamPredict.BatchFunction", "Makefile");
            // A private output folder, so this Release publish never races the solution's own build outputs.
            var result = await Tools.RunAsync("make",
                ["--makefile", makefile, "build-BatchScoringFunction", $"ARTIFACTS_DIR={artifacts}"], scratch, TimeSpan.FromMinutes(20));
            Assert.True(result.ExitCode == 0, result.Output);
            var bootstrap = Path.Combine(artifacts, "bootstrap");
            Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(bootstrap)[..4]);
            Assert.False(File.Exists(Path.Combine(artifacts, "bootstrap.dll")), "a NativeAOT publish has no IL to JIT");

            var input = work.CreateSubdirectory("in").FullName;
            File.Copy(RepositoryPaths.TestData("tlc/green_tripdata_2021-02.sample.csv.gz"), Path.Combine(input, "green_tripdata_2021-02.parquet"));
            await WriteParquetCopyAsync(RepositoryPaths.TestData("tlc/green_tripdata_2021-02.sample.csv.gz"), Path.Combine(input, "green_tripdata_2021-03.parquet"));
            await using var runtime = RuntimeApiEmulator.Start();
            var start = new System.Diagnostics.ProcessStartInfo(bootstrap) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["AWS_LAMBDA_RUNTIME_API"] = runtime.HostAndPort;
            start.Environment["INPUT_ROOT"] = input;
            start.Environment["OUTPUT_ROOT"] = Path.Combine(work.FullName, "out");
            start.Environment["MODEL_LOCATION"] = RepositoryPaths.TestData("course-forest.model.json");
            using var process = System.Diagnostics.Process.Start(start)!;
            try
            {
                foreach (var month in new[] { 2, 3 })
                {
                    var outcome = await runtime.InvokeAsync(JsonSerializer.SerializeToUtf8Bytes(new { taxi_type = "green", year = 2021, month }), TimeSpan.FromMinutes(2));
                    Assert.True(outcome.Error is null, $"{outcome.Error?.ErrorType}: {outcome.Error?.ErrorMessage}");
                    using var response = JsonDocument.Parse(outcome.Response!);
                    Assert.True(response.RootElement.GetProperty("scored").GetInt64() > 0);
                    Assert.True(File.Exists(response.RootElement.GetProperty("output").GetString()));
                }
            }
            finally
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>The trips of a CSV as parquet with the 2021 drift (zone ids as text) and an int64 column, as pandas wrote them.</summary>
    private static async Task WriteParquetCopyAsync(string csv, string parquet)
    {
        var trips = new List<TlcTrip>();
        await using (var reader = await TlcTripReader.OpenFileAsync(csv, CancellationToken.None))
        {
            while (await reader.ReadAsync(CancellationToken.None) is { } chunk)
            {
                using (chunk)
                {
                    trips.AddRange(chunk.Trips.ToArray());
                }
            }
        }

        var schema = new ParquetSchema(
            new DateTimeDataField("lpep_pickup_datetime", DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Micros, isNullable: true),
            new DateTimeDataField("lpep_dropoff_datetime", DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Micros, isNullable: true),
            new DataField<string>("PULocationID", nullable: true),
            new DataField<long>("DOLocationID", nullable: true),
            new DataField<double>("trip_distance", nullable: true));
        var fields = schema.GetDataFields();
        await using var file = File.Create(parquet);
        await using var writer = await ParquetWriter.CreateAsync(schema, file);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync<DateTime>(fields[0], trips.Select(t => (DateTime?)t.Pickup).ToArray());
        await group.WriteAsync<DateTime>(fields[1], trips.Select(t => (DateTime?)t.Dropoff).ToArray());
        await group.WriteAsync<ReadOnlyMemory<char>>(fields[2], trips.Select(t => (ReadOnlyMemory<char>?)((long)t.PickupLocationId).ToString(System.Globalization.CultureInfo.InvariantCulture).AsMemory()).ToArray());
        await group.WriteAsync<long>(fields[3], trips.Select(t => (long?)t.DropoffLocationId).ToArray());
        await group.WriteAsync<double>(fields[4], trips.Select(t => (double?)t.TripDistance).ToArray());
    }
}
