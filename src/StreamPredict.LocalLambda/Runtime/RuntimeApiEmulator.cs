using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using StreamPredict.Aws.Lambda.Client;
using StreamPredict.LocalLambda.Http;

namespace StreamPredict.LocalLambda.Runtime;

/// <summary>
/// A loopback Lambda Runtime API (2018-06-01): serves queued events on /invocation/next with the documented headers
/// and a deadline, and captures /response, /error and /init/error. Point a function at it with
/// AWS_LAMBDA_RUNTIME_API=<see cref="HostAndPort"/>.
/// </summary>
public sealed class RuntimeApiEmulator : IAsyncDisposable
{
    private const string Prefix = RuntimeApiHeaders.ApiVersionPrefix + "/";

    private readonly HttpListener _listener = new();
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly ConcurrentDictionary<string, Pending> _inFlight = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<LambdaError> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstNext = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ListenerLoop _loop;

    private RuntimeApiEmulator(int port)
    {
        HostAndPort = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}");
        _listener.Prefixes.Add($"http://{HostAndPort}/");
        _listener.Start();
        _loop = new ListenerLoop(_listener, ServeAsync);
    }

    /// <summary>The value for AWS_LAMBDA_RUNTIME_API.</summary>
    public string HostAndPort { get; }

    public string FunctionArn { get; init; } = "arn:aws:lambda:us-east-1:000000000000:function:streampredict";

    /// <summary>Completes when the function posts /init/error.</summary>
    public Task<LambdaError> InitError => _initError.Task;

    /// <summary>Completes when the function first asks for an event, i.e. its init is done.</summary>
    public Task InitDone => _firstNext.Task;

    /// <summary>Starts on a free loopback port.</summary>
    public static RuntimeApiEmulator Start()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new RuntimeApiEmulator(port);
    }

    /// <summary>Queues an event and waits for the function's answer; <paramref name="timeout"/> becomes the deadline header.</summary>
    public async Task<InvocationOutcome> InvokeAsync(ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var requestId = string.Create(CultureInfo.InvariantCulture, $"{Guid.NewGuid():D}");
        var pending = new Pending(requestId, payload, DateTimeOffset.UtcNow + timeout);
        _inFlight[requestId] = pending;
        await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        // The function's own deadline handling is under test, so wait a little past the deadline before giving up.
        return await pending.Outcome.Task.WaitAsync(timeout + TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _loop.DisposeAsync();

    private async Task ServeAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            var path = request.Url?.AbsolutePath ?? "";
            if (!path.StartsWith(Prefix, StringComparison.Ordinal))
            {
                await RespondAsync(response, 404, $"unknown path {path}").ConfigureAwait(false);
                return;
            }

            var route = path[Prefix.Length..].Split('/');
            switch (request.HttpMethod, route)
            {
                case ("GET", ["invocation", "next"]):
                    await ServeNextAsync(response).ConfigureAwait(false);
                    break;
                case ("POST", ["invocation", var id, "response"]):
                    await CompleteAsync(request, response, Uri.UnescapeDataString(id), isError: false).ConfigureAwait(false);
                    break;
                case ("POST", ["invocation", var id, "error"]):
                    await CompleteAsync(request, response, Uri.UnescapeDataString(id), isError: true).ConfigureAwait(false);
                    break;
                case ("POST", ["init", "error"]):
                    _initError.TrySetResult(LambdaError.Parse(await ReadBodyAsync(request).ConfigureAwait(false)));
                    await RespondAsync(response, 202, "").ConfigureAwait(false);
                    break;
                default:
                    await RespondAsync(response, 404, $"unknown route {request.HttpMethod} {path}").ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // The function or the emulator went away mid-request.
        }
    }

    private async Task ServeNextAsync(HttpListenerResponse response)
    {
        _firstNext.TrySetResult();
        var pending = await _queue.Reader.ReadAsync(_loop.Stopping).ConfigureAwait(false);
        response.Headers[RuntimeApiHeaders.RequestId] = pending.RequestId;
        response.Headers[RuntimeApiHeaders.DeadlineMs] = pending.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        response.Headers[RuntimeApiHeaders.InvokedFunctionArn] = FunctionArn;
        response.Headers[RuntimeApiHeaders.TraceId] = $"Root=1-{pending.Deadline.ToUnixTimeSeconds():x8}-{pending.RequestId.Replace("-", "", StringComparison.Ordinal)[..24]};Parent=0000000000000001;Sampled=0";
        response.ContentType = "application/json";
        response.StatusCode = 200;
        response.ContentLength64 = pending.Payload.Length;
        await response.OutputStream.WriteAsync(pending.Payload, _loop.Stopping).ConfigureAwait(false);
        response.Close();
    }

    private async Task CompleteAsync(HttpListenerRequest request, HttpListenerResponse response, string requestId, bool isError)
    {
        var body = await ReadBodyAsync(request).ConfigureAwait(false);
        if (!_inFlight.TryRemove(requestId, out var pending))
        {
            await RespondAsync(response, 400, $"unknown or already answered request id {requestId}").ConfigureAwait(false);
            return;
        }

        pending.Outcome.TrySetResult(isError
            ? new InvocationOutcome(requestId, null, LambdaError.Parse(body), request.Headers[RuntimeApiHeaders.FunctionErrorType])
            : new InvocationOutcome(requestId, body, null, null));
        await RespondAsync(response, 202, "").ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpListenerRequest request)
    {
        using var buffer = new MemoryStream();
        await request.InputStream.CopyToAsync(buffer).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static async Task RespondAsync(HttpListenerResponse response, int status, string message)
    {
        response.StatusCode = status;
        var body = System.Text.Encoding.UTF8.GetBytes(message);
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body).ConfigureAwait(false);
        response.Close();
    }

    private sealed record Pending(string RequestId, ReadOnlyMemory<byte> Payload, DateTimeOffset Deadline)
    {
        public TaskCompletionSource<InvocationOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
