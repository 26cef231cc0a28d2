using System.Net;
using System.Net.Sockets;
using System.Text;
using StreamPredict.Aws.Connections;

namespace StreamPredict.Tests.Aws;

/// <summary>Through real loopback sockets: a listener that counts its connections and answers each request 200.</summary>
public sealed class EarlyConnectionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_connection_is_open_before_any_request_and_carries_the_first_one()
    {
        using var listener = Listen();
        using var early = new EarlyConnection(Address(listener));

        // The server sees the connection arrive while nothing has been asked yet.
        using var accepted = await listener.AcceptSocketAsync().WaitAsync(Wait);
        using var client = new HttpClient(early.Attach(new SocketsHttpHandler()));
        var request = client.GetAsync(Address(listener));
        var served = await AnswerOneAsync(accepted);

        Assert.Equal(HttpStatusCode.OK, (await request.WaitAsync(Wait)).StatusCode);
        Assert.StartsWith("GET / HTTP/1.1", served, StringComparison.Ordinal);
        Assert.True(early.Used);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task A_connection_the_server_closed_meanwhile_is_replaced_by_a_fresh_one()
    {
        using var listener = Listen();
        using var early = new EarlyConnection(Address(listener));
        using (var closedByServer = await listener.AcceptSocketAsync().WaitAsync(Wait))
        {
            closedByServer.Shutdown(SocketShutdown.Both);
        }

        await Task.Delay(50); // let the FIN arrive
        using var client = new HttpClient(early.Attach(new SocketsHttpHandler()));
        var request = client.GetAsync(Address(listener));
        using var fresh = await listener.AcceptSocketAsync().WaitAsync(Wait);
        await AnswerOneAsync(fresh);

        Assert.Equal(HttpStatusCode.OK, (await request.WaitAsync(Wait)).StatusCode);
    }

    [Fact]
    public async Task A_connection_older_than_the_limit_is_dropped_and_a_fresh_one_opened()
    {
        using var listener = Listen();
        var clock = new SteppingClock();
        using var early = new EarlyConnection(Address(listener), clock);
        using var stale = await listener.AcceptSocketAsync().WaitAsync(Wait);
        clock.Advance(EarlyConnection.MaxAge + TimeSpan.FromSeconds(1));

        using var client = new HttpClient(early.Attach(new SocketsHttpHandler()));
        var request = client.GetAsync(Address(listener));
        using var fresh = await listener.AcceptSocketAsync().WaitAsync(Wait);
        await AnswerOneAsync(fresh);

        Assert.Equal(HttpStatusCode.OK, (await request.WaitAsync(Wait)).StatusCode);
        // The stale one was closed by the client: the server reads end-of-stream on it.
        Assert.Equal(0, await stale.ReceiveAsync(new byte[1].AsMemory(), SocketFlags.None).AsTask().WaitAsync(Wait));
    }

    [Fact]
    public async Task Another_endpoint_gets_its_own_connection_and_the_early_one_waits_for_its_own()
    {
        using var listener = Listen();
        using var other = Listen();
        using var early = new EarlyConnection(Address(listener));
        using var waiting = await listener.AcceptSocketAsync().WaitAsync(Wait);

        using var client = new HttpClient(early.Attach(new SocketsHttpHandler()));
        var request = client.GetAsync(Address(other));
        using var accepted = await other.AcceptSocketAsync().WaitAsync(Wait);
        await AnswerOneAsync(accepted);

        Assert.Equal(HttpStatusCode.OK, (await request.WaitAsync(Wait)).StatusCode);
    }

    [Fact]
    public async Task An_endpoint_that_refuses_fails_the_request_as_the_handler_would()
    {
        var port = FreePort();
        using var early = new EarlyConnection(new Uri($"http://127.0.0.1:{port}/"));
        using var client = new HttpClient(early.Attach(new SocketsHttpHandler()));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"http://127.0.0.1:{port}/")));

        Assert.IsType<SocketException>(error.InnerException);
    }

    [Fact]
    public async Task Disposed_unused_it_closes_the_connection()
    {
        using var listener = Listen();
        var early = new EarlyConnection(Address(listener));
        using var accepted = await listener.AcceptSocketAsync().WaitAsync(Wait);

        early.Dispose();

        Assert.Equal(0, await accepted.ReceiveAsync(new byte[1].AsMemory(), SocketFlags.None).AsTask().WaitAsync(Wait));
    }

    private static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static Uri Address(TcpListener listener) => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");

    private static int FreePort()
    {
        using var listener = Listen();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Reads one request's head and answers 200 with no body; returns the head.</summary>
    private static async Task<string> AnswerOneAsync(Socket socket)
    {
        var head = new StringBuilder();
        var buffer = new byte[4096];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(Wait);
            Assert.NotEqual(0, read);
            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        await socket.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8.ToArray());
        return head.ToString();
    }

    private sealed class SteppingClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
