using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;

namespace StreamPredict.Aws.Signing;

/// <summary>
/// AWS Signature Version 4 for one request: canonical request → string to sign → HMAC-SHA256 chain → Authorization.
/// </summary>
/// <remarks>
/// Written here rather than derived from AWSSDK.Core's AWS4Signer, which needed a subclass reaching into the SDK's
/// protected internals; this is a few hashes over short strings (its cold-start cost measured the same, within noise).
/// Only the credentials type comes from the SDK. Known answers from AWS's published examples are in SigV4SignerTests.
/// </remarks>
internal static class SigV4Signer
{
    public const string DateHeader = "x-amz-date";
    public const string SecurityTokenHeader = "x-amz-security-token";
    public const string ContentSha256Header = "x-amz-content-sha256";

    private const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>SHA-256 of an empty body, hex: what S3 expects in x-amz-content-sha256 for a GET.</summary>
    private const string EmptyBodySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>
    /// Adds x-amz-date (and the session token, if any) to <paramref name="headers"/> and returns the
    /// Authorization header value. Header names must be lower case; all of them are signed.
    /// </summary>
    /// <param name="canonicalQueryString">Already canonical: names sorted, names and values URI-encoded ("" for none).</param>
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
        ArgumentNullException.ThrowIfNull(endpoint);
        AddDateAndToken(headers, credentials, signedAtUtc);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(payload, hash);
        // Every service but S3 signs the path encoded twice: Uri.AbsolutePath is the once-encoded form.
        var canonicalUri = EscapePathSegments(endpoint.AbsolutePath);
        return Authorization(httpMethod, canonicalUri, canonicalQueryString, headers, Convert.ToHexStringLower(hash),
            credentials, region, service, signedAtUtc);
    }

    /// <summary>
    /// Signs a body-less S3 request: <paramref name="resourcePath"/> is the unescaped object path ("/bucket/key" or
    /// "/key"), escaped once per segment (S3 does not double-encode), and x-amz-content-sha256 is added to
    /// <paramref name="headers"/> as the empty body's hash, as S3 requires. Returns the Authorization header value.
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
        ArgumentNullException.ThrowIfNull(serviceRoot);
        AddDateAndToken(headers, credentials, signedAtUtc);
        headers[ContentSha256Header] = EmptyBodySha256;
        return Authorization(httpMethod, EscapePathSegments(resourcePath), "", headers, EmptyBodySha256,
            credentials, region, "s3", signedAtUtc);
    }

    /// <summary>The Host header as signed: the port only appears when it is not the scheme's default.</summary>
    public static string HostHeader(Uri endpoint) => endpoint.IsDefaultPort ? endpoint.Host : endpoint.Authority;

    public static SortedDictionary<string, string> NewHeaders() => new(StringComparer.Ordinal);

    /// <summary>RFC 3986-escapes each segment of <paramref name="path"/> once, keeping the slashes; "/" for an empty path.</summary>
    public static string EscapePathSegments(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return "/";
        }

        // Uri.EscapeDataString leaves exactly SigV4's unreserved characters (A-Z a-z 0-9 - _ . ~) as they are.
        return string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
    }

    private static void AddDateAndToken(SortedDictionary<string, string> headers, ImmutableCredentials credentials, DateTime signedAtUtc)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(credentials);
        headers[DateHeader] = signedAtUtc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        if (credentials.UseToken)
        {
            headers[SecurityTokenHeader] = credentials.Token;
        }
    }

    private static string Authorization(
        string httpMethod,
        string canonicalUri,
        string canonicalQueryString,
        SortedDictionary<string, string> headers,
        string payloadHashHex,
        ImmutableCredentials credentials,
        string region,
        string service,
        DateTime signedAtUtc)
    {
        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = new StringBuilder(512)
            .Append(httpMethod).Append('\n')
            .Append(canonicalUri).Append('\n')
            .Append(canonicalQueryString).Append('\n');
        foreach (var (name, value) in headers)
        {
            canonical.Append(name).Append(':').Append(CanonicalHeaderValue(value)).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHashHex);

        var date = signedAtUtc.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{headers[DateHeader]}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";

        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + credentials.SecretKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        var signature = Convert.ToHexStringLower(Hmac(key, stringToSign));
        return $"{Algorithm} Credential={credentials.AccessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    /// <summary>Values are signed trimmed, with runs of spaces inside them collapsed to one.</summary>
    private static string CanonicalHeaderValue(string value)
    {
        var trimmed = value.Trim();
        if (!trimmed.Contains("  ", StringComparison.Ordinal))
        {
            return trimmed;
        }

        var collapsed = new StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
        {
            if (c != ' ' || collapsed.Length == 0 || collapsed[^1] != ' ')
            {
                collapsed.Append(c);
            }
        }

        return collapsed.ToString();
    }
}
