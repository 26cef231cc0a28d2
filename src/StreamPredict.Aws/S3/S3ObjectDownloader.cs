using System.Globalization;
using System.Net;
using System.Xml;
using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.Connections;
using StreamPredict.Aws.Diagnostics;
using StreamPredict.Aws.Signing;

namespace StreamPredict.Aws.S3;

/// <summary>
/// Reads one S3 object with a single SigV4-signed GET over a plain <see cref="SocketsHttpHandler"/>.
/// </summary>
/// <remarks>
/// For the function's cold start: AWSSDK.S3's client costs ~130 ms of CPU to build and make its first request
/// (configuration, endpoint rules, code ReadyToRun cannot precompile); one GET needs none of that. Everything else
/// (the CLI, tests) keeps <see cref="S3ObjectStore"/>. Path-style addressing for configured endpoints (emulators,
/// LocalStack), virtual-hosted for real AWS when the bucket name allows it.
/// </remarks>
public sealed class S3ObjectDownloader : IDisposable
{
    private readonly AwsEnvironment _environment;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly EarlyConnection? _early;

    public S3ObjectDownloader(AwsEnvironment environment)
        : this(environment, NewHandler(), TimeProvider.System)
    {
    }

    /// <summary>For tests: a fake handler and a fixed clock.</summary>
    internal S3ObjectDownloader(AwsEnvironment environment, HttpMessageHandler handler, TimeProvider time, EarlyConnection? early = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _environment = environment;
        _time = time;
        _early = early;
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>
    /// A downloader that starts connecting to <paramref name="bucket"/>'s endpoint now (see <see cref="EarlyConnection"/>),
    /// so the DNS lookup and the TCP handshake overlap with building the client and signing the first GET.
    /// </summary>
    public static S3ObjectDownloader ConnectingEarly(AwsEnvironment environment, string bucket)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var early = new EarlyConnection(ServiceRoot(environment, bucket));
        return new S3ObjectDownloader(environment, early.Attach(NewHandler()), TimeProvider.System, early);
    }

    private static SocketsHttpHandler NewHandler() => new() { AutomaticDecompression = DecompressionMethods.None };

    /// <summary>
    /// The object's bytes. Throws <see cref="S3ObjectNotFoundException"/> naming the bucket and key when S3 answers
    /// 404 or 403 (S3 answers 403 for a missing key the caller may not list), and <see cref="HttpRequestException"/>
    /// with S3's error code and message for any other failure.
    /// </summary>
    public async Task<byte[]> GetBytesAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        using var response = await SendSignedAsync(HttpMethod.Get, bucket, key, cancellationToken).ConfigureAwait(false);
        StartupTrace.Mark("s3 answered");
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? body : throw Failure(response, body, bucket, key);
    }

    /// <summary>
    /// The object's ETag, from one signed HEAD (no body is transferred), so a poller can tell whether the object changed.
    /// Fails as <see cref="GetBytesAsync"/> does; HEAD needs the same permission as GET (s3:GetObject).
    /// </summary>
    public async Task<string> GetETagAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        using var response = await SendSignedAsync(HttpMethod.Head, bucket, key, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // A HEAD answer has no body, so S3's error code is not there to read: the status names the failure.
            throw Failure(response, [], bucket, key);
        }

        return response.Headers.ETag?.Tag
            ?? throw new HttpRequestException($"S3 HEAD s3://{bucket}/{key} answered without an ETag.", null, response.StatusCode);
    }

    private async Task<HttpResponseMessage> SendSignedAsync(HttpMethod method, string bucket, string key, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(bucket))
        {
            throw new ArgumentException("An S3 bucket name is required.", nameof(bucket));
        }

        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException($"An S3 object key is required (bucket '{bucket}').", nameof(key));
        }

        var (serviceRoot, resourcePath) = Address(bucket, key);
        var credentials = await _environment.Credentials.GetCredentialsAsync().ConfigureAwait(false);
        var headers = SigV4Signer.NewHeaders();
        headers["host"] = SigV4Signer.HostHeader(serviceRoot);
        var authorization = SigV4Signer.SignS3WithoutBody(
            method.Method, serviceRoot, resourcePath, headers, credentials, _environment.Region, _time.GetUtcNow().UtcDateTime);

        using var request = new HttpRequestMessage(method, new Uri(serviceRoot, SigV4Signer.EscapePathSegments(resourcePath)));
        foreach (var (name, value) in headers)
        {
            if (name != "host")
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        StartupTrace.Mark("s3 request signed");
        return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    private static Exception Failure(HttpResponseMessage response, byte[] body, string bucket, string key)
    {
        var (code, message) = ReadError(body);
        var status = (int)response.StatusCode;
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            var what = code switch
            {
                "NoSuchBucket" => $"bucket '{bucket}' does not exist",
                "NoSuchKey" => "no such object",
                "AccessDenied" => "access denied (a missing key also answers this when the caller may not list the bucket)",
                _ => $"HTTP {status}",
            };
            var detail = message is null ? "" : $": {message}";
            return new S3ObjectNotFoundException($"S3 object s3://{bucket}/{key} not found: {what} ({code ?? status.ToString(CultureInfo.InvariantCulture)}{detail}).")
            {
                Bucket = bucket,
                Key = key,
            };
        }

        return new HttpRequestException(
            $"S3 {response.RequestMessage?.Method.Method ?? "GET"} s3://{bucket}/{key} failed with HTTP {status} {code ?? response.ReasonPhrase}{(message is null ? "" : ": " + message)}.",
            null,
            response.StatusCode);
    }

    public void Dispose()
    {
        _http.Dispose();
        _early?.Dispose();
    }

    /// <summary>The URI to sign against and the unescaped path below it.</summary>
    internal (Uri ServiceRoot, string ResourcePath) Address(string bucket, string key) =>
        (ServiceRoot(_environment, bucket), IsPathStyle(_environment, bucket) ? $"/{bucket}/{key}" : $"/{key}");

    private static Uri ServiceRoot(AwsEnvironment environment, string bucket)
    {
        var endpoint = environment.S3Endpoint;
        return IsPathStyle(environment, bucket)
            ? new Uri(endpoint.GetLeftPart(UriPartial.Authority) + "/")
            : new Uri($"{endpoint.Scheme}://{bucket}.{endpoint.Authority}/");
    }

    // Bucket names with dots break TLS wildcard certificates as a host label, so those stay path-style too.
    private static bool IsPathStyle(AwsEnvironment environment, string bucket) =>
        environment.HasCustomS3Endpoint || bucket.Contains('.', StringComparison.Ordinal);

    /// <summary>S3's XML error document: &lt;Error&gt;&lt;Code&gt;…&lt;/Code&gt;&lt;Message&gt;…&lt;/Message&gt;…</summary>
    private static (string? Code, string? Message) ReadError(byte[] body)
    {
        if (body.Length == 0)
        {
            return (null, null);
        }

        string? code = null;
        string? message = null;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            // ReadElementContentAsString already moves to the next node, so only Read() when nothing was consumed.
            var advanced = reader.Read();
            while (advanced)
            {
                if (reader.NodeType == XmlNodeType.Element && reader.Depth == 1 && reader.LocalName is "Code" or "Message")
                {
                    var isCode = reader.LocalName == "Code";
                    var text = reader.ReadElementContentAsString();
                    (code, message) = isCode ? (text, message) : (code, text);
                    advanced = !reader.EOF;
                }
                else
                {
                    advanced = reader.Read();
                }
            }
        }
        catch (XmlException)
        {
            // Not S3's XML (a proxy's HTML page, say): the status code alone has to do.
        }

        return (code, message);
    }
}
