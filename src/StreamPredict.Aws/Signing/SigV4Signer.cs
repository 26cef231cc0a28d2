using System.Globalization;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace StreamPredict.Aws.Signing;

/// <summary>
/// Signs a request with AWSSDK.Core's SigV4 implementation. Deriving from <see cref="AWS4Signer"/> is how the SDK
/// exposes its canonicalisation helpers (they are protected); the signing key and signature come from
/// <see cref="AWS4Signer.ComputeSignature(ImmutableCredentials, string, DateTime, string, string, string)"/>.
/// </summary>
internal sealed class SigV4Signer : AWS4Signer
{
    public const string DateHeader = "x-amz-date";
    public const string SecurityTokenHeader = "x-amz-security-token";
    public const string ContentSha256Header = "x-amz-content-sha256";

    /// <summary>
    /// Adds x-amz-date (and the session token, if any) to <paramref name="headers"/> and returns the
    /// Authorization header value. Header names must be lower case; all of them are signed.
    /// </summary>
    public static string Sign(
        string httpMethod,
        Uri endpoint,
        string canonicalQueryString,
        SortedDictionary<string, string> headers,
        ReadOnlySpan<byte> payload,
        ImmutableCredentials credentials,
        string region,
        string service,
        DateTime signedAtUtc)
    {
        AddDateAndToken(headers, credentials, signedAtUtc);

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(payload, hash);
        var canonicalRequest = CanonicalizeRequest(
            endpoint, endpoint.AbsolutePath, httpMethod, headers, canonicalQueryString, Convert.ToHexStringLower(hash));

        var result = ComputeSignature(
            credentials, region, signedAtUtc, service, CanonicalizeHeaderNames(headers), canonicalRequest);
        return result.ForAuthorizationHeader;
    }

    /// <summary>
    /// Signs a body-less S3 request: <paramref name="resourcePath"/> is the unescaped object path ("/bucket/key" or
    /// "/key"), which the SDK escapes once per segment (S3 does not double-encode), and x-amz-content-sha256 is added
    /// to <paramref name="headers"/> as the empty body's hash, as S3 requires. Returns the Authorization header value.
    /// </summary>
    public static string SignS3WithoutBody(
        string httpMethod,
        Uri serviceRoot,
        string resourcePath,
        SortedDictionary<string, string> headers,
        ImmutableCredentials credentials,
        string region,
        DateTime signedAtUtc)
    {
        AddDateAndToken(headers, credentials, signedAtUtc);

        headers[ContentSha256Header] = EmptyBodySha256;
        // The last two arguments: no path placeholders, and no double encoding of the path (S3 is the exception).
        var canonicalRequest = CanonicalizeRequest(
            serviceRoot, resourcePath, httpMethod, headers, "", EmptyBodySha256, null, false);
        var result = ComputeSignature(
            credentials, region, signedAtUtc, "s3", CanonicalizeHeaderNames(headers), canonicalRequest);
        return result.ForAuthorizationHeader;
    }

    /// <summary>The Host header as signed: the port only appears when it is not the scheme's default.</summary>
    public static string HostHeader(Uri endpoint) => endpoint.IsDefaultPort ? endpoint.Host : endpoint.Authority;

    private static void AddDateAndToken(SortedDictionary<string, string> headers, ImmutableCredentials credentials, DateTime signedAtUtc)
    {
        headers[DateHeader] = signedAtUtc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        if (credentials.UseToken)
        {
            headers[SecurityTokenHeader] = credentials.Token;
        }
    }

    public static SortedDictionary<string, string> NewHeaders() => new(StringComparer.Ordinal);
}
