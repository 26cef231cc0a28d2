using System.Text.Json;
using Parquet;
using StreamPredict.Aws.S3;
using StreamPredict.Batch;
using StreamPredict.IntegrationTests.Functions;
using StreamPredict.IntegrationTests.Infrastructure;
using StreamPredict.Model;

namespace StreamPredict.IntegrationTests.Batch;

/// <summary>The batch job and the batch Lambda against real S3 (s3rver, or LocalStack via AWS_ENDPOINT_URL).</summary>
[Collection(Emulators.Collection)]
public sealed class S3ScoringTests(EmulatorFixture emulators) : IDisposable
{
    private const string Month = "green_tripdata_2021-02.csv.gz";
    private static readonly CompiledModel Forest = CompiledModel.Load(File.ReadAllBytes(RepositoryPaths.TestData("course-forest.model.json")));

    private readonly CancellationToken _timeout = EmulatorFixture.TestTimeout();
    private readonly string _work = Directory.CreateTempSubdirectory("streampredict-s3-score-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private async Task<(S3ObjectStore S3, string Bucket)> BucketWithMonthAsync()
    {
        var s3 = emulators.CreateObjectStore();
        var bucket = EmulatorFixture.UniqueName("batch");
        await s3.EnsureBucketAsync(bucket, _timeout);
        await s3.PutAsync(bucket, "trip-data/" + Month, await File.ReadAllBytesAsync(RepositoryPaths.TestData("tlc/green_tripdata_2021-02.sample.csv.gz")), _timeout);
        return (s3, bucket);
    }

    private async Task<long> RowsOfObjectAsync(S3ObjectStore s3, string bucket, string key, string firstColumn = "ride_id")
    {
        var local = Path.Combine(_work, Guid.NewGuid().ToString("N") + ".parquet");
        await s3.DownloadToFileAsync(bucket, key, local, _timeout);
        await using var reader = await ParquetReader.CreateAsync(local);
        long rows = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            rows += group.RowCount;
        }

        Assert.Equal(firstColumn, reader.Schema.GetDataFields()[0].Name);
        return rows;
    }

    [Fact]
    public async Task The_job_reads_a_month_from_S3_and_writes_both_objects_beside_each_other()
    {
        var (s3, bucket) = await BucketWithMonthAsync();
        using (s3)
        {
            var result = await ScoringJob.RunAsync(new ScoringRequest
            {
                Input = DataLocation.Parse($"s3://{bucket}/trip-data/{Month}", "--input"),
                Output = $"s3://{bucket}/out/run-s3.parquet",
                Model = Forest,
            }, new ScoringOptions { OpenS3 = emulators.CreateObjectStore, TempFolder = _work }, _timeout);

            Assert.Equal(result.Scored, await RowsOfObjectAsync(s3, bucket, "out/run-s3.parquet"));
            Assert.Equal(result.Rejected, await RowsOfObjectAsync(s3, bucket, "out/run-s3.rejected.parquet", "row_index"));
            Assert.Equal($"s3://{bucket}/out/run-s3.rejected.parquet", result.RejectedOutput);
            Assert.Empty(Directory.GetFiles(_work, "streampredict-*"));
        }
    }

    [Fact]
    public async Task A_large_file_goes_up_as_a_multipart_upload_and_reads_back_whole()
    {
        using var s3 = emulators.CreateObjectStore();
        var bucket = EmulatorFixture.UniqueName("batch");
        await s3.EnsureBucketAsync(bucket, _timeout);
        var body = new byte[(12 * 1024 * 1024) + 12345];
        new Random(11).NextBytes(body);
        var file = Path.Combine(_work, "big.bin");
        await File.WriteAllBytesAsync(file, body);

        var parts = await s3.UploadFileAsync(bucket, "out/big.bin", file, _timeout, multipartThreshold: S3ObjectStore.MinPartBytes, partBytes: S3ObjectStore.MinPartBytes);

        Assert.Equal(3, parts);
        Assert.Equal(body.Length, (await s3.HeadAsync(bucket, "out/big.bin", _timeout)).Size);
        Assert.Equal(body, (await s3.GetAsync(bucket, "out/big.bin", _timeout)).Body);
    }

    [Fact]
    public async Task The_batch_bootstrap_scores_a_month_through_the_Runtime_API_and_writes_the_course_partition()
    {
        var (s3, bucket) = await BucketWithMonthAsync();
        using (s3)
        {
            await s3.PutAsync(bucket, "1/run-lambda/artifacts/model/model.json", await File.ReadAllBytesAsync(RepositoryPaths.TestData("course-forest.model.json")), _timeout);
            await using var function = FunctionProcess.Start(emulators, new Dictionary<string, string>
            {
                ["INPUT_ROOT"] = $"s3://{bucket}/trip-data/",
                ["OUTPUT_ROOT"] = $"s3://{bucket}/predictions",
                ["MODEL_BUCKET"] = bucket,
                ["RUN_ID"] = "run-lambda",
                ["TMPDIR"] = _work,
            }, "StreamPredict.BatchFunction");
            await Task.WhenAny(function.Runtime.InitDone, function.Runtime.InitError, Task.Delay(TimeSpan.FromMinutes(1)));
            Assert.True(function.Runtime.InitDone.IsCompleted, "the batch function did not finish its init:\n" + string.Join('\n', function.Output));

            // The Map state's event; the input is named green_tripdata_2021-02.parquet in the course's layout, so the
            // month is put there too (as csv.gz bytes: the format is told from the content).
            await s3.PutAsync(bucket, "trip-data/green_tripdata_2021-02.parquet", await File.ReadAllBytesAsync(RepositoryPaths.TestData("tlc/green_tripdata_2021-02.sample.csv.gz")), _timeout);
            var outcome = await function.Runtime.InvokeAsync("""{"taxi_type": "green", "year": 2021, "month": 2}"""u8.ToArray(), TimeSpan.FromMinutes(2), _timeout);

            Assert.True(outcome.Error is null, $"{outcome.Error?.ErrorType}: {outcome.Error?.ErrorMessage}\n{string.Join('\n', function.Output)}");
            using var response = JsonDocument.Parse(outcome.Response!);
            var scored = response.RootElement.GetProperty("scored").GetInt64();
            Assert.True(scored > 3000);
            Assert.Equal(response.RootElement.GetProperty("rows_in").GetInt64(),
                scored + response.RootElement.GetProperty("filtered").GetInt64() + response.RootElement.GetProperty("rejected").GetInt64());
            const string Key = "predictions/taxi_type=green/year=2021/month=02/run-lambda.parquet";
            Assert.Equal($"s3://{bucket}/{Key}", response.RootElement.GetProperty("output").GetString());
            Assert.Equal(scored, await RowsOfObjectAsync(s3, bucket, Key));

            // The schedule's event scores the month before its run date; a bad event is the caller's error.
            var scheduled = await function.Runtime.InvokeAsync("""{"taxi_type": "green", "run_date": "2021-03-02T03:00:00Z"}"""u8.ToArray(), TimeSpan.FromMinutes(2), _timeout);
            Assert.True(scheduled.Error is null, scheduled.Error?.ErrorMessage);
            var bad = await function.Runtime.InvokeAsync("""{"taxi_type": "blue", "year": 2021, "month": 2}"""u8.ToArray(), TimeSpan.FromMinutes(1), _timeout);
            Assert.Equal("InvalidEvent", bad.Error?.ErrorType);
            Assert.Contains("'blue' is not green or yellow", bad.Error!.ErrorMessage, StringComparison.Ordinal);
        }
    }
}
