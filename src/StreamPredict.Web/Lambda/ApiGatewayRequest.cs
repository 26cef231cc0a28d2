using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using StreamPredict.Aws.Lambda.Bootstrap;

namespace StreamPredict.Web.Lambda;

/// <summary>
/// An API Gateway HTTP API event, payload format 2.0: what the request was (method, raw path and query, headers,
/// cookies, body) and where it came from (stage, request id, source IP). Read with Utf8JsonReader; anything else
/// is refused as InvalidEvent.
/// </summary>
internal sealed class ApiGatewayRequest
{
    public string Method { get; private set; } = "";

    public string RawPath { get; private set; } = "/";

    public string RawQueryString { get; private set; } = "";

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Cookies { get; } = [];

    public byte[] Body { get; private set; } = [];

    public string? Stage { get; private set; }

    public string? RequestId { get; private set; }

    public string? SourceIp { get; private set; }

    public string Protocol { get; private set; } = "HTTP/1.1";

    public static ApiGatewayRequest Read(ReadOnlySpan<byte> json)
    {
        var request = new ApiGatewayRequest();
        string? version = null;
        string? body = null;
        var base64 = false;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Invalid("the event is not a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "version": version = reader.GetString(); break;
                    case "rawPath": request.RawPath = reader.GetString() ?? "/"; break;
                    case "rawQueryString": request.RawQueryString = reader.GetString() ?? ""; break;
                    case "body": body = reader.TokenType == JsonTokenType.Null ? null : reader.GetString(); break;
                    case "isBase64Encoded": base64 = reader.TokenType == JsonTokenType.True; break;
                    case "headers": ReadStrings(ref reader, (key, value) => request.Headers[key] = value); break;
                    case "cookies": ReadCookies(ref reader, request.Cookies); break;
                    case "requestContext": request.ReadContext(ref reader); break;
                    default: reader.Skip(); break;
                }
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            throw Invalid($"the event is not valid JSON of that shape: {exception.Message}");
        }

        if (version != "2.0" || request.Method.Length == 0)
        {
            throw Invalid(version is null ? "it has no \"version\"" : $"its version is \"{version}\" and it {(request.Method.Length == 0 ? "has no" : "has a")} requestContext.http.method");
        }

        try
        {
            request.Body = body is null ? [] : base64 ? Convert.FromBase64String(body) : System.Text.Encoding.UTF8.GetBytes(body);
        }
        catch (FormatException)
        {
            throw Invalid("isBase64Encoded is true but the body is not base64");
        }

        return request;
    }

    /// <summary>The features ASP.NET Core builds an HttpContext from.</summary>
    public FeatureCollection ToFeatures(InvocationResponseFeature response, CancellationToken aborted)
    {
        ArgumentNullException.ThrowIfNull(response);
        // A named stage prefixes the path ("/prod/predict"); the $default stage does not.
        var stagePrefix = Stage is null or "$default" ? "" : "/" + Stage;
        var hasStagePrefix = stagePrefix.Length > 0 && (RawPath == stagePrefix || RawPath.StartsWith(stagePrefix + "/", StringComparison.Ordinal));
        var path = hasStagePrefix ? RawPath[stagePrefix.Length..] : RawPath;

        var headers = new HeaderDictionary();
        foreach (var (name, value) in Headers)
        {
            headers[name] = value;
        }

        if (Cookies.Count > 0)
        {
            ((IHeaderDictionary)headers).Cookie = string.Join("; ", Cookies);
        }

        headers.ContentLength = Body.Length;
        var request = new HttpRequestFeature
        {
            Protocol = Protocol,
            Scheme = Headers.GetValueOrDefault("x-forwarded-proto") ?? "https",
            Method = Method,
            PathBase = hasStagePrefix ? stagePrefix : "",
            Path = PathString.FromUriComponent(path.Length == 0 ? "/" : path).Value ?? "/",
            QueryString = RawQueryString.Length == 0 ? "" : "?" + RawQueryString,
            RawTarget = RawPath + (RawQueryString.Length == 0 ? "" : "?" + RawQueryString),
            Headers = headers,
            Body = new MemoryStream(Body, writable: false),
        };

        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(request);
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(response);
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = aborted });
        features.Set<IHttpRequestIdentifierFeature>(new HttpRequestIdentifierFeature { TraceIdentifier = RequestId ?? Guid.NewGuid().ToString("N") });
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            RemoteIpAddress = IPAddress.TryParse(SourceIp, out var ip) ? ip : null,
            ConnectionId = RequestId ?? "",
        });
        return features;
    }

    private void ReadContext(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "requestId": RequestId = reader.GetString(); break;
                case "stage": Stage = reader.GetString(); break;
                case "http":
                    ReadStrings(ref reader, (key, value) =>
                    {
                        switch (key)
                        {
                            case "method": Method = value; break;
                            case "protocol": Protocol = value; break;
                            case "sourceIp": SourceIp = value; break;
                        }
                    });
                    break;
                default: reader.Skip(); break;
            }
        }
    }

    /// <summary>An object of string values (other values are skipped).</summary>
    private static void ReadStrings(ref Utf8JsonReader reader, Action<string, string> add)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                add(key, reader.GetString()!);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadCookies(ref Utf8JsonReader reader, List<string> cookies)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                cookies.Add(reader.GetString()!);
            }
        }
    }

    private static LambdaFunctionException Invalid(string why) =>
        new("InvalidEvent", $"Not an API Gateway HTTP API event (payload format 2.0): {why}.");
}
