using System.Globalization;
using System.Net.Http.Headers;
using StreamPredict.Aws.Connections;
using StreamPredict.Aws.Lambda.Context;

namespace StreamPredict.Aws.Lambda.Client;

/// <summary>The HTTP calls of the Lambda Runtime API (2018-06-01).</summary>
public sealed class RuntimeApiClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");
    private static readonly MediaTypeHeaderValue ErrorContentType = new(RuntimeApiHeaders.ErrorContentType);

    private readonly HttpClient _http;
    private readonly TimeProvider _clock;
    private readonly EarlyConnection? _early;

    /// <param name="hostAndPort">The value of AWS_LAMBDA_RUNTIME_API, e.g. 127.0.0.1:9001.</param>
    /// <param name="connectEarly">Open the connection for the first /next now, while the caller initializes (see <see cref="EarlyConnection"/>).</param>
    public RuntimeApiClient(string hostAndPort, TimeProvider? clock = null, bool connectEarly = false)
    {
        if (string.IsNullOrWhiteSpace(hostAndPort) || hostAndPort.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"{RuntimeApiHeaders.RuntimeApiVariable} must be host:port, but was '{hostAndPort}'.", nameof(hostAndPort));
        }

        var baseAddress = new Uri($"http://{hostAndPort}{RuntimeApiHeaders.ApiVersionPrefix}/");
        var handler = new SocketsHttpHandler { UseProxy = false };
        _early = connectEarly ? new EarlyConnection(baseAddress) : null;
        _early?.Attach(handler);

        // /next is a long poll that lasts until Lambda has an event, so it must never time out on our side.
        _http = new HttpClient(handler)
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _clock = clock ?? TimeProvider.System;
    }

    public static RuntimeApiClient FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(RuntimeApiHeaders.RuntimeApiVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"{RuntimeApiHeaders.RuntimeApiVariable} is not set: this executable must be started by AWS Lambda or a Runtime API emulator.");
        }

        // Called at process start: the first /next, when init is done, finds its connection open.
        return new RuntimeApiClient(value, connectEarly: true);
    }

    public async Task<LambdaInvocation> GetNextInvocationAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri("invocation/next", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);

        var requestId = Header(response, RuntimeApiHeaders.RequestId)
            ?? throw new InvalidOperationException($"The Runtime API answered /next without a {RuntimeApiHeaders.RequestId} header.");
        var deadlineText = Header(response, RuntimeApiHeaders.DeadlineMs);
        var deadline = long.TryParse(deadlineText, NumberStyles.None, CultureInfo.InvariantCulture, out var deadlineMs)
            ? DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs)
            : throw new InvalidOperationException($"The Runtime API sent {RuntimeApiHeaders.DeadlineMs} '{deadlineText}', which is not Unix milliseconds.");
        var context = new LambdaContext(
            requestId,
            deadline,
            Header(response, RuntimeApiHeaders.InvokedFunctionArn) ?? "",
            Header(response, RuntimeApiHeaders.TraceId),
            _clock);
        return new LambdaInvocation(payload, context);
    }

    public Task PostResponseAsync(string requestId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
        => PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/response", new ReadOnlyMemoryContent(body), JsonContentType, null, cancellationToken);

    public Task PostErrorAsync(string requestId, LambdaError error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        return PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/error", new ByteArrayContent(error.ToUtf8Json()), ErrorContentType, error.ErrorType, cancellationToken);
    }

    public Task PostInitErrorAsync(LambdaError error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        return PostAsync("init/error", new ByteArrayContent(error.ToUtf8Json()), ErrorContentType, error.ErrorType, cancellationToken);
    }

    public void Dispose()
    {
        _http.Dispose();
        _early?.Dispose();
    }

    private async Task PostAsync(string path, HttpContent content, MediaTypeHeaderValue contentType, string? errorType, CancellationToken cancellationToken)
    {
        using (content)
        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content })
        {
            content.Headers.ContentType = contentType;
            if (errorType is not null)
            {
                request.Headers.TryAddWithoutValidation(RuntimeApiHeaders.FunctionErrorType, errorType);
            }

            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw new HttpRequestException(
                    $"The Runtime API refused POST {path}: {(int)response.StatusCode} {detail}", null, response.StatusCode);
            }
        }
    }

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
