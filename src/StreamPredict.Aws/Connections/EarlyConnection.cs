using System.Net;
using System.Net.Sockets;

namespace StreamPredict.Aws.Connections;

/// <summary>
/// One TCP connection to an endpoint, opened before the first request needs it (at a cold start: while the model
/// downloads), and handed to a <see cref="SocketsHttpHandler"/> as its first connection to that endpoint through
/// <see cref="SocketsHttpHandler.ConnectCallback"/>. Later connections are opened as the handler would.
/// </summary>
/// <remarks>
/// What it takes off the first request's path: the DNS lookup, the TCP handshake, and whatever the server does per new
/// connection (kinesis-mock: about 7 ms per connection here, against 12 ms for the whole 1-record PutRecords on an open
/// one). It sends nothing, so unlike a warm-up request it costs the server no work and needs no permission. TLS is not
/// done early: the handler runs its own handshake over the stream it is given.
/// A connection older than <see cref="MaxAge"/>, or one the server has closed meanwhile (readable before anything was
/// sent: the peer's FIN or RST), is dropped and a fresh one opened instead, so a long init or an idle server cannot
/// turn the head start into a failed request.
/// </remarks>
public sealed class EarlyConnection : IDisposable
{
    /// <summary>Well below the idle timeouts of AWS endpoints and Lambda's network (350 s).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    private readonly DnsEndPoint _endpoint;
    private readonly Task<Socket> _connecting;
    private readonly TimeProvider _time;
    private readonly long _started;
    private int _taken;

    /// <summary>Starts connecting to <paramref name="endpoint"/>'s host and port at once, in the background.</summary>
    public EarlyConnection(Uri endpoint, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _endpoint = new DnsEndPoint(endpoint.IdnHost, endpoint.Port);
        _time = time ?? TimeProvider.System;
        _started = _time.GetTimestamp();
        _connecting = OpenAsync(_endpoint, CancellationToken.None);
    }

    /// <summary>True once the early connection has been handed out or dropped.</summary>
    public bool Used => Volatile.Read(ref _taken) != 0;

    /// <summary>A handler whose first connection to the endpoint is this one; the other settings are the caller's.</summary>
    public SocketsHttpHandler Attach(SocketsHttpHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        handler.ConnectCallback = ConnectAsync;
        return handler;
    }

    /// <summary>The handler's connect step: the early connection the first time it fits, a fresh one otherwise.</summary>
    internal async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _taken, 1) == 0 && Matches(context.DnsEndPoint))
        {
            var socket = await TakeAsync(cancellationToken).ConfigureAwait(false);
            if (socket is not null)
            {
                return new NetworkStream(socket, ownsSocket: true);
            }
        }

        return new NetworkStream(await OpenAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false), ownsSocket: true);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _taken, 1) == 0)
        {
            // Never handed out: close it once the connect attempt ends (a failed attempt has nothing to close).
            _ = _connecting.ContinueWith(static task => task.Result.Dispose(), CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>The early socket if it connected and is still fit to carry a first request; otherwise null (and closed).</summary>
    private async Task<Socket?> TakeAsync(CancellationToken cancellationToken)
    {
        Socket socket;
        try
        {
            socket = await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // The early attempt failed (e.g. the endpoint was not up yet): a fresh attempt reports its own error.
            return null;
        }

        // Nothing has been sent on it, so readable means the server closed it (or sent what no request asked for).
        if (_time.GetElapsedTime(_started) <= MaxAge && socket.Connected && !socket.Poll(0, SelectMode.SelectRead))
        {
            return socket;
        }

        socket.Dispose();
        return null;
    }

    private bool Matches(DnsEndPoint requested) =>
        requested.Port == _endpoint.Port && string.Equals(requested.Host, _endpoint.Host, StringComparison.OrdinalIgnoreCase);

    /// <summary>As SocketsHttpHandler connects by default: a dual-mode TCP socket, Nagle off, to the host name.</summary>
    private static async Task<Socket> OpenAsync(DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
