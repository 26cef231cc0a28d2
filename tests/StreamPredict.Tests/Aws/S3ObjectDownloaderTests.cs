using System.Net;
using System.Text;
using Amazon.Runtime;
using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.S3;
using StreamPredict.Aws.Signing;

namespace StreamPredict.Tests.Aws;

public sealed class S3ObjectDownloaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 20, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_configured_endpoint_gets_one_path_style_GET_signed_for_s3()
    {
        var handler = new FakeKinesisHandler(_ => Ok("model bytes"));
        using var downloader = Downloader(Emulator(), handler);

        var body = await downloader.GetBytesAsync("models", "1/run/artifacts/model/model.json", CancellationToken.None);

        Assert.Equal("model bytes", Encoding.UTF8.GetString(body));
        var request = Assert.Single(handler.Sent).Request;
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("http://127.0.0.1:4569/models/1/run/artifacts/model/model.json", request.RequestUri!.AbsoluteUri);
        Assert.Null(request.Content);
        var authorization = Assert.Single(request.Headers.GetValues("Authorization"));
        Assert.StartsWith(
            "AWS4-HMAC-SHA256 Credential=test/20261121/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=",
            authorization, StringComparison.Ordinal);
        Assert.Equal(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            Assert.Single(request.Headers.GetValues(SigV4Signer.ContentSha256Header)));
        Assert.Equal("20261121T200000Z", Assert.Single(request.Headers.GetValues(SigV4Signer.DateHeader)));
        Assert.False(request.Headers.Contains(SigV4Signer.SecurityTokenHeader));
    }

    [Fact]
    public async Task Real_AWS_gets_a_virtual_hosted_regional_request_with_the_session_token_signed()
    {
        var environment = new AwsEnvironment
        {
            Region = "eu-west-1",
            S3Endpoint = AwsEnvironment.RegionalEndpoint("s3", "eu-west-1"),
            Credentials = new SessionAWSCredentials("AKID", "secret", "session-token"),
        };
        var handler = new FakeKinesisHandler(_ => Ok("{}"));
        using var downloader = Downloader(environment, handler);

        await downloader.GetBytesAsync("models", "1/run/model.json", CancellationToken.None);

        var request = Assert.Single(handler.Sent).Request;
        Assert.Equal("https://models.s3.eu-west-1.amazonaws.com/1/run/model.json", request.RequestUri!.AbsoluteUri);
        Assert.Equal("session-token", Assert.Single(request.Headers.GetValues(SigV4Signer.SecurityTokenHeader)));
        Assert.Contains(
            "/eu-west-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,",
            Assert.Single(request.Headers.GetValues("Authorization")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bucket_with_dots_stays_path_style_on_real_AWS()
    {
        var environment = new AwsEnvironment
        {
            Region = "us-east-1",
            S3Endpoint = AwsEnvironment.RegionalEndpoint("s3", "us-east-1"),
            Credentials = new BasicAWSCredentials("AKID", "secret"),
        };
        var handler = new FakeKinesisHandler(_ => Ok("{}"));
        using var downloader = Downloader(environment, handler);

        await downloader.GetBytesAsync("my.models", "m.json", CancellationToken.None);

        Assert.Equal("https://s3.us-east-1.amazonaws.com/my.models/m.json", Assert.Single(handler.Sent).Request.RequestUri!.AbsoluteUri);
    }

    [Fact]
    public async Task Key_segments_are_escaped_once_and_the_slashes_kept()
    {
        var handler = new FakeKinesisHandler(_ => Ok("{}"));
        using var downloader = Downloader(Emulator(), handler);

        await downloader.GetBytesAsync("models", "a b/c+d=e.json", CancellationToken.None);

        Assert.Equal("/models/a%20b/c%2Bd%3De.json", Assert.Single(handler.Sent).Request.RequestUri!.AbsolutePath);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "NoSuchKey", "The specified key does not exist.", "no such object")]
    [InlineData(HttpStatusCode.NotFound, "NoSuchBucket", "The specified bucket does not exist", "bucket 'models' does not exist")]
    [InlineData(HttpStatusCode.Forbidden, "AccessDenied", "Access Denied", "access denied")]
    public async Task Not_found_and_forbidden_name_the_bucket_key_and_S3_error(HttpStatusCode status, string code, string message, string what)
    {
        var handler = new FakeKinesisHandler(_ => S3Error(status, code, message));
        using var downloader = Downloader(Emulator(), handler);

        var error = await Assert.ThrowsAsync<S3ObjectNotFoundException>(
            () => downloader.GetBytesAsync("models", "1/run/model.json", CancellationToken.None));

        Assert.Equal("models", error.Bucket);
        Assert.Equal("1/run/model.json", error.Key);
        Assert.Contains("s3://models/1/run/model.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
        Assert.Contains(code, error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_404_without_an_XML_body_still_names_the_object_and_status()
    {
        var handler = new FakeKinesisHandler(_ => new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("<html>nope") });
        using var downloader = Downloader(Emulator(), handler);

        var error = await Assert.ThrowsAsync<S3ObjectNotFoundException>(
            () => downloader.GetBytesAsync("models", "m.json", CancellationToken.None));

        Assert.Contains("s3://models/m.json not found: HTTP 404 (404)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_failures_are_HTTP_errors_carrying_the_status_and_S3_code()
    {
        var handler = new FakeKinesisHandler(_ => S3Error(HttpStatusCode.ServiceUnavailable, "SlowDown", "Please reduce your request rate."));
        using var downloader = Downloader(Emulator(), handler);

        var error = await Assert.ThrowsAsync<HttpRequestException>(
            () => downloader.GetBytesAsync("models", "m.json", CancellationToken.None));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Contains("s3://models/m.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 503 SlowDown: Please reduce your request rate.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "m.json", "bucket")]
    [InlineData("models", "", "key")]
    public async Task A_missing_bucket_or_key_is_refused_before_any_request(string bucket, string key, string parameter)
    {
        var handler = new FakeKinesisHandler(_ => Ok("{}"));
        using var downloader = Downloader(Emulator(), handler);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => downloader.GetBytesAsync(bucket, key, CancellationToken.None));

        Assert.Equal(parameter, error.ParamName);
        Assert.Empty(handler.Sent);
    }

    [Fact]
    public async Task The_ETag_comes_from_one_signed_HEAD_and_a_missing_object_names_the_bucket_and_key()
    {
        var handler = new FakeKinesisHandler(attempt => attempt == 1
            ? new HttpResponseMessage(HttpStatusCode.OK) { Headers = { ETag = new System.Net.Http.Headers.EntityTagHeaderValue("\"abc123\"") } }
            : new HttpResponseMessage(HttpStatusCode.NotFound));
        using var downloader = Downloader(Emulator(), handler);

        Assert.Equal("\"abc123\"", await downloader.GetETagAsync("models", "there.json", CancellationToken.None));
        var missing = await Assert.ThrowsAsync<S3ObjectNotFoundException>(() => downloader.GetETagAsync("models", "gone.json", CancellationToken.None));

        Assert.Contains("s3://models/gone.json", missing.Message, StringComparison.Ordinal);
        Assert.All(handler.Sent, sent => Assert.Equal(HttpMethod.Head, sent.Request.Method));
        Assert.All(handler.Sent, sent => Assert.StartsWith("AWS4-HMAC-SHA256 ", Assert.Single(sent.Request.Headers.GetValues("Authorization")), StringComparison.Ordinal));
    }

    private static AwsEnvironment Emulator() => AwsEnvironment.FromEnvironment(name => name switch
    {
        "AWS_REGION" => "us-east-1",
        "AWS_ENDPOINT_URL" => "http://127.0.0.1:4569",
        "AWS_ACCESS_KEY_ID" => "test",
        "AWS_SECRET_ACCESS_KEY" => "test",
        _ => null,
    });

    private static S3ObjectDownloader Downloader(AwsEnvironment environment, HttpMessageHandler handler) =>
        new(environment, handler, new FixedClock(Now));

    private static HttpResponseMessage Ok(string body) => new(HttpStatusCode.OK) { Content = new StringContent(body) };

    private static HttpResponseMessage S3Error(HttpStatusCode status, string code, string message) => new(status)
    {
        Content = new StringContent(
            $"""<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{message}</Message><Key>x</Key><RequestId>1</RequestId></Error>""",
            Encoding.UTF8, "application/xml"),
    };

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
