using System.Runtime.Versioning;
using System.Text.Json;
using StreamPredict.Data.Tlc;
using StreamPredict.LocalLambda.Runtime;

namespace StreamPredict.IntegrationTests.Deploy;

/// <summary>
/// The batch function's Makefile target (what `sam build` runs) produces a NativeAOT bootstrap, and that native
/// executable really scores months through the Runtime API: csv.gz, and parquet with int64 zone ids in several row groups.
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
            // What SAM zips: the executable and the native parquet library it loads from its own folder; no debug files.
            Assert.Equal(["ParquetSharpNative.so", "bootstrap"], Directory.GetFiles(artifacts).Select(Path.GetFileName).Order(StringComparer.Ordinal));

            var input = work.CreateSubdirectory("in").FullName;
            File.Copy(RepositoryPaths.TestData("tlc/green_tripdata_2021-02.sample.csv.gz"), Path.Combine(input, "green_tripdata_2021-02.parquet"));
            var (taxi, trips) = await TlcParquetWriter.ReadAllAsync(RepositoryPaths.TestData("tlc/green_tripdata_2021-02.sample.csv.gz"), CancellationToken.None);
            await TlcParquetWriter.WriteRepeatedAsync(Path.Combine(input, "green_tripdata_2021-03.parquet"), taxi, trips, 3 * trips.Count, CancellationToken.None, rowGroupRows: 5000);
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
}
