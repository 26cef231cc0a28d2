using Amazon.Runtime;
using StreamPredict.Aws.Signing;

namespace StreamPredict.Tests.Aws;

/// <summary>Known answers from AWS's published Signature Version 4 examples (AKIDEXAMPLE key pair, 2015-08-30).</summary>
public sealed class SigV4SignerTests
{
    private static readonly ImmutableCredentials ExampleCredentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static readonly DateTime ExampleTime = new(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);

    [Fact]
    public void The_test_suite_post_vanilla_request_gets_the_published_signature()
    {
        var headers = SigV4Signer.NewHeaders();
        headers["host"] = "example.amazonaws.com";

        var authorization = SigV4Signer.Sign(
            "POST", new Uri("https://example.amazonaws.com/"), "", headers, [], ExampleCredentials, "us-east-1", "service", ExampleTime);

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, " +
            "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
            authorization);
        Assert.Equal("20150830T123600Z", headers[SigV4Signer.DateHeader]);
    }

    [Fact]
    public void The_iam_list_users_example_gets_the_published_signature()
    {
        var headers = SigV4Signer.NewHeaders();
        headers["content-type"] = "application/x-www-form-urlencoded; charset=utf-8";
        headers["host"] = "iam.amazonaws.com";

        var authorization = SigV4Signer.Sign(
            "GET", new Uri("https://iam.amazonaws.com/"), "Action=ListUsers&Version=2010-05-08", headers, [],
            ExampleCredentials, "us-east-1", "iam", ExampleTime);

        Assert.EndsWith(
            "SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
            authorization, StringComparison.Ordinal);
    }

    [Fact]
    public void A_session_token_is_added_and_signed()
    {
        var headers = SigV4Signer.NewHeaders();
        headers["host"] = "example.amazonaws.com";
        var withToken = new ImmutableCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token");

        var authorization = SigV4Signer.Sign(
            "POST", new Uri("https://example.amazonaws.com/"), "", headers, [], withToken, "us-east-1", "service", ExampleTime);

        Assert.Equal("session-token", headers[SigV4Signer.SecurityTokenHeader]);
        Assert.Contains("SignedHeaders=host;x-amz-date;x-amz-security-token,", authorization, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:4566/", "127.0.0.1:4566")]
    [InlineData("https://kinesis.us-east-1.amazonaws.com/", "kinesis.us-east-1.amazonaws.com")]
    public void The_signed_host_carries_the_port_only_when_it_is_not_the_default(string endpoint, string expected)
    {
        Assert.Equal(expected, SigV4Signer.HostHeader(new Uri(endpoint)));
    }

    [Fact]
    public void The_S3_get_object_example_gets_the_published_signature()
    {
        // AWS's S3 "GET Object" header-signing example: examplebucket/test.txt with a Range header, 2013-05-24.
        var headers = SigV4Signer.NewHeaders();
        headers["host"] = "examplebucket.s3.amazonaws.com";
        headers["range"] = "bytes=0-9";

        var authorization = SigV4Signer.SignS3WithoutBody(
            "GET", new Uri("https://examplebucket.s3.amazonaws.com/"), "/test.txt", headers,
            new ImmutableCredentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null),
            "us-east-1", new DateTime(2013, 5, 24, 0, 0, 0, DateTimeKind.Utc));

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, " +
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, " +
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
            authorization);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", headers[SigV4Signer.ContentSha256Header]);
    }

    [Fact]
    public void Header_values_are_signed_trimmed_with_inner_runs_of_spaces_collapsed()
    {
        string SignWith(string value)
        {
            var headers = SigV4Signer.NewHeaders();
            headers["host"] = "example.amazonaws.com";
            headers["my-header1"] = value;
            return SigV4Signer.Sign("GET", new Uri("https://example.amazonaws.com/"), "", headers, [], ExampleCredentials, "us-east-1", "service", ExampleTime);
        }

        Assert.Equal(SignWith("value1 a b"), SignWith("  value1  a   b "));
        Assert.NotEqual(SignWith("value1 a b"), SignWith("value1 ab"));
    }

    [Theory]
    [InlineData("/examplebucket/my key/résumé+1.txt", "/examplebucket/my%20key/r%C3%A9sum%C3%A9%2B1.txt")]
    [InlineData("/a~b_c-d.e", "/a~b_c-d.e")]
    [InlineData("", "/")]
    public void Path_segments_are_escaped_once_keeping_the_slashes_and_unreserved_characters(string path, string expected)
    {
        Assert.Equal(expected, SigV4Signer.EscapePathSegments(path));
    }
}
