using System.Security.Cryptography;
using StreamPredict.Aws.S3;
using StreamPredict.IntegrationTests.Infrastructure;

namespace StreamPredict.IntegrationTests.Aws;

[Collection(Emulators.Collection)]
public sealed class S3ObjectStoreTests(EmulatorFixture emulators)
{
    private readonly CancellationToken _timeout = EmulatorFixture.TestTimeout();

    [Fact]
    public async Task An_object_round_trips_with_its_etag_and_is_listed_under_its_prefix()
    {
        using var s3 = emulators.CreateObjectStore();
        var bucket = EmulatorFixture.UniqueName("models");
        await s3.EnsureBucketAsync(bucket, _timeout);
        await s3.EnsureBucketAsync(bucket, _timeout); // idempotent

        var body = new byte[300_000];
        new Random(7).NextBytes(body);
        var put = await s3.PutAsync(bucket, "run-1/model.bin", body, _timeout);
        await s3.PutAsync(bucket, "run-1/meta.json", "{}"u8.ToArray(), _timeout, "application/json");
        await s3.PutAsync(bucket, "run-2/model.bin", "other"u8.ToArray(), _timeout);

        var got = await s3.GetAsync(bucket, "run-1/model.bin", _timeout);
        Assert.Equal(body, got.Body);
        // A single-part upload's ETag is the quoted MD5 of the body; MD5 here checks S3's format, it protects nothing.
#pragma warning disable CA5351
        Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(body))}\"", got.ETag);
#pragma warning restore CA5351
        Assert.Equal(put.ETag, got.ETag);

        var head = await s3.HeadAsync(bucket, "run-1/model.bin", _timeout);
        Assert.Equal(body.Length, head.Size);
        Assert.Equal(put.ETag, head.ETag);

        var listed = await s3.ListAsync(bucket, "run-1/", _timeout);
        Assert.Equal(["run-1/meta.json", "run-1/model.bin"], listed.Select(o => o.Key));
        Assert.Equal(body.Length, listed.Single(o => o.Key == "run-1/model.bin").Size);
    }

    [Fact]
    public async Task A_missing_key_is_a_typed_error_naming_bucket_and_key()
    {
        using var s3 = emulators.CreateObjectStore();
        var bucket = EmulatorFixture.UniqueName("models");
        await s3.EnsureBucketAsync(bucket, _timeout);

        var get = await Assert.ThrowsAsync<S3ObjectNotFoundException>(() => s3.GetAsync(bucket, "nope/model.bin", _timeout));
        var head = await Assert.ThrowsAsync<S3ObjectNotFoundException>(() => s3.HeadAsync(bucket, "nope/model.bin", _timeout));

        foreach (var error in new[] { get, head })
        {
            Assert.Equal(bucket, error.Bucket);
            Assert.Equal("nope/model.bin", error.Key);
            Assert.Contains($"s3://{bucket}/nope/model.bin", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_missing_bucket_is_the_same_typed_error_and_says_so()
    {
        using var s3 = emulators.CreateObjectStore();
        var bucket = EmulatorFixture.UniqueName("absent");

        var error = await Assert.ThrowsAsync<S3ObjectNotFoundException>(() => s3.GetAsync(bucket, "model.bin", _timeout));

        Assert.Equal(bucket, error.Bucket);
        Assert.Contains($"bucket '{bucket}' does not exist", error.Message, StringComparison.Ordinal);
    }
}
