using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using StreamPredict.LocalLambda.Http;

namespace StreamPredict.LocalLambda.Invoke;

/// <summary>
/// What the Lambda Runtime Interface Emulator and <c>sam local start-lambda</c> give a user, without Docker: an HTTP
/// endpoint that invokes the function on <c>POST /2015-03-31/functions/function/invocations</c> (the RIE's path) and
/// <c>POST /2015-03-31/functions/{name}/invocations</c> (Lambda's Invoke API, which SAM serves and the AWS SDKs call
/// with an endpoint URL), through one <see cref="FunctionSandbox"/>. HttpListener, like the loopback Runtime API.
/// </summary>
public sealed class InvokeEndpoint : IAsyncDisposable
{
    /// <summary>Lambda's limit on a synchronous invocation's payload (6 MB).</summary>
    public const int MaxRequestBytes = 6 * 1024 * 1024;

    /// <summary>The name SAM invokes: the function's logical id in template.yaml.</summary>
    public const string DefaultFunctionName = "StreamPredictFunction";

    private readonly FunctionSandbox _sandbox;
    private readonly string _functionName;
    private readonly Action<string> _log;
    private readonly ListenerLoop _loop;

    private InvokeEndpoint(HttpListener listener, Uri baseUrl, FunctionSandbox sandbox, string functionName, Action<string> log)
    {
        BaseUrl = baseUrl;
        _sandbox = sandbox;
        _functionName = functionName;
        _log = log;
        _loop = new ListenerLoop(listener, ServeAsync);
    }

    /// <summary>Where it listens, e.g. http://127.0.0.1:8080/.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The RIE's invocation URL.</summary>
    public Uri RieUrl => new(BaseUrl, InvokeRoute.PathFor(InvokeRoute.RieFunctionName));

    /// <summary>The Invoke API's URL for this function (what SAM serves).</summary>
    public Uri FunctionUrl => new(BaseUrl, InvokeRoute.PathFor(_functionName));

    public FunctionSandbox Sandbox => _sandbox;

    /// <summary>Listens on <paramref name="host"/>:<paramref name="port"/> (port 0: a free one) and owns <paramref name="sandbox"/> from
    /// then on. <paramref name="host"/> is an IP address, <c>localhost</c>, or <c>0.0.0.0</c> for every interface.</summary>
    public static InvokeEndpoint Start(string host, int port, FunctionSandbox sandbox, Action<string> log, string functionName = DefaultFunctionName)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentNullException.ThrowIfNull(log);
        var (address, prefixHosts) = Bind(host);
        if (port is < 0 or > 65535)
        {
            throw new LocalLambdaException($"--port {port} is not a TCP port (0..65535; 0 picks a free one).");
        }

        if (port == 0)
        {
            port = FreePort(address);
        }

        var listener = new HttpListener();
        foreach (var prefixHost in prefixHosts)
        {
            listener.Prefixes.Add(string.Create(CultureInfo.InvariantCulture, $"http://{prefixHost}:{port}/"));
        }

        var shown = address.Equals(IPAddress.Any) ? "0.0.0.0" : prefixHosts[0];
        var baseUrl = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{shown}:{port}/"));
        try
        {
            listener.Start();
        }
        catch (HttpListenerException exception)
        {
            listener.Close();
            throw new LocalLambdaException($"Cannot listen on {baseUrl}: {exception.Message}. Is another start-lambda or RIE on that port? Choose one with --port.", exception);
        }

        return new InvokeEndpoint(listener, baseUrl, sandbox, functionName, log);
    }

    public async ValueTask DisposeAsync()
    {
        await _loop.DisposeAsync().ConfigureAwait(false);
        await _sandbox.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The answer to one request; everything but the socket, so the routing is testable on its own.</summary>
    internal async Task<InvokeAnswer> AnswerAsync(string method, string path, long contentLength, Stream body, CancellationToken cancellationToken)
    {
        var route = InvokeRoute.Parse(method, path, _functionName);
        switch (route.Kind)
        {
            case RouteKind.PathNotFound:
                return InvokeAnswer.PathNotFound(path);
            case RouteKind.MethodNotAllowed:
                return InvokeAnswer.MethodNotAllowed(method);
            case RouteKind.FunctionNotFound:
                return InvokeAnswer.FunctionNotFound(route.FunctionName!, _functionName);
        }

        var payload = await ReadBodyAsync(contentLength, body, cancellationToken).ConfigureAwait(false);
        if (payload is null)
        {
            return InvokeAnswer.RequestTooLarge(MaxRequestBytes);
        }

        if (route.Api == InvokeApi.Lambda)
        {
            // SAM's checks: no body is {}, and a body must be JSON. The RIE passes any body through.
            payload = payload.Length == 0 ? "{}"u8.ToArray() : payload;
            if (JsonProblem(payload) is { } problem)
            {
                return InvokeAnswer.InvalidRequestContent(problem);
            }
        }

        var started = Stopwatch.GetTimestamp();
        var outcome = await _sandbox.InvokeAsync(payload, cancellationToken).ConfigureAwait(false);
        var answer = InvokeAnswer.For(route.Api, outcome);
        _log(string.Create(CultureInfo.InvariantCulture,
            $"start-lambda: {route.FunctionName} → {answer.Status} {outcome.Describe()} ({Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.0} ms)"));
        return answer;
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            InvokeAnswer answer;
            try
            {
                answer = await AnswerAsync(request.HttpMethod, request.Url?.AbsolutePath ?? "", request.ContentLength64, request.InputStream, _loop.Stopping)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_loop.Stopping.IsCancellationRequested)
            {
                answer = InvokeAnswer.ShuttingDown();
            }

            response.StatusCode = answer.Status;
            response.ContentType = answer.ContentType;
            if (answer.FunctionError is { } functionError)
            {
                response.Headers[InvokeAnswer.FunctionErrorHeader] = functionError;
            }

            if (answer.ServiceErrorType is { } errorType)
            {
                response.Headers[InvokeAnswer.ServiceErrorTypeHeader] = errorType;
            }

            response.ContentLength64 = answer.Body.Length;
            await response.OutputStream.WriteAsync(answer.Body).ConfigureAwait(false);
            response.Close();
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            // The caller hung up, or the endpoint is closing.
        }
    }

    /// <summary>The body, or null when it is over <see cref="MaxRequestBytes"/>. An oversized body is still read (up to a
    /// bound) and dropped, so the caller, still sending, gets the 413 rather than a reset connection.</summary>
    private static async Task<byte[]?> ReadBodyAsync(long contentLength, Stream body, CancellationToken cancellationToken)
    {
        const long DrainLimit = 8L * MaxRequestBytes;
        using var buffer = new MemoryStream(contentLength is > 0 and <= MaxRequestBytes ? (int)contentLength : 1024);
        var chunk = new byte[64 * 1024];
        long total = 0;
        int read;
        while (total <= DrainLimit && (read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total <= MaxRequestBytes)
            {
                buffer.Write(chunk, 0, read);
            }
        }

        return total > MaxRequestBytes || contentLength > MaxRequestBytes ? null : buffer.ToArray();
    }

    private static string? JsonProblem(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return null;
        }
        catch (JsonException exception)
        {
            return exception.Message;
        }
    }

    /// <summary>The address to bind and the prefix hosts to answer to. HttpListener matches the Host header against its
    /// prefixes, so loopback answers to both 127.0.0.1 and localhost (the course's test calls localhost:8080).</summary>
    private static (IPAddress Address, string[] PrefixHosts) Bind(string host)
    {
        var trimmed = host?.Trim() ?? "";
        if (trimmed is "localhost" or "127.0.0.1")
        {
            return (IPAddress.Loopback, trimmed == "localhost" ? ["localhost", "127.0.0.1"] : ["127.0.0.1", "localhost"]);
        }

        if (trimmed is "0.0.0.0" or "*" or "+")
        {
            return (IPAddress.Any, ["+"]);
        }

        if (IPAddress.TryParse(trimmed.Trim('[', ']'), out var address))
        {
            return (address, [address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString()]);
        }

        throw new LocalLambdaException($"--host '{host}' is not an IP address: give 127.0.0.1 (the default), localhost, another local address, or 0.0.0.0 for every interface.");
    }

    private static int FreePort(IPAddress address)
    {
        using var probe = new TcpListener(address, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
