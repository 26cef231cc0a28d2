using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace StreamPredict.Cli.Bench;

/// <summary>
/// A loopback HTTP relay in front of Kinesis that counts requests per X-Amz-Target (e.g. PutRecords), so a bench can
/// count the calls a separate function process makes without touching its code. Bodies and headers pass unchanged.
/// </summary>
internal sealed class CountingKinesisProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase) { "Host", "Connection", "Content-Length", "Transfer-Encoding", "Expect", "Keep-Alive" };

    private readonly HttpListener _listener = new();
    private readonly HttpClient _upstream = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly Uri _target;
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly Task _acceptLoop;

    private CountingKinesisProxy(Uri target, int port)
    {
        _target = target;
        Endpoint = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Point AWS_ENDPOINT_URL_KINESIS here.</summary>
    public Uri Endpoint { get; }

    public static CountingKinesisProxy Start(Uri target)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new CountingKinesisProxy(target, port);
    }

    /// <summary>Calls relayed for an operation, e.g. "PutRecords".</summary>
    public int Calls(string operation) => _calls.TryGetValue(operation, out var count) ? count : 0;

    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
        {
            // Closing the listener ends the loop this way.
        }

        _upstream.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (_listener.IsListening)
        {
            var context = await _listener.GetContextAsync().ConfigureAwait(false);
            _ = Task.Run(() => RelayAsync(context));
        }
    }

    private async Task RelayAsync(HttpListenerContext context)
    {
        try
        {
            var target = context.Request.Headers["X-Amz-Target"] ?? "";
            _calls.AddOrUpdate(target[(target.IndexOf('.', StringComparison.Ordinal) + 1)..], 1, (_, n) => n + 1);
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body).ConfigureAwait(false);
            using var request = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), new Uri(_target, context.Request.RawUrl));
            request.Content = new ByteArrayContent(body.ToArray());
            foreach (var name in context.Request.Headers.AllKeys.OfType<string>().Where(name => !HopByHop.Contains(name)))
            {
                var value = context.Request.Headers[name];
                if (!request.Headers.TryAddWithoutValidation(name, value))
                {
                    request.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            // The function signed for this relay's host; kinesis-local and LocalStack do not check signatures, but keep the header it signed.
            request.Headers.Host = context.Request.Headers["Host"];
            using var response = await _upstream.SendAsync(request).ConfigureAwait(false);
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers).Where(h => !HopByHop.Contains(h.Key)))
            {
                context.Response.Headers[header.Key] = string.Join(",", header.Value);
            }

            var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            context.Response.Close();
        }
        catch (Exception exception) when (exception is HttpRequestException or HttpListenerException or IOException or TaskCanceledException)
        {
            // The caller sees a dropped connection, which is what a failing upstream would look like to it.
            context.Response.Abort();
        }
    }
}
