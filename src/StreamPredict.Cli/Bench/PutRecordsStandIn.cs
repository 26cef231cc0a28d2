using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace StreamPredict.Cli.Bench;

/// <summary>
/// A stand-in for Kinesis on loopback that answers every PutRecords itself, all entries stored, after a fixed latency:
/// a real service's round trip without an emulator's own cost (kinesis-local takes 0.4 s and more per 500-record call,
/// which would hide what concurrency changes). It counts calls, entries and the most calls held at once.
/// </summary>
internal sealed class PutRecordsStandIn : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly TimeSpan _latency;
    private readonly Task _acceptLoop;
    private int _inFlight;
    private int _maxInFlight;
    private int _calls;
    private long _entries;

    private PutRecordsStandIn(TimeSpan latency, int port)
    {
        _latency = latency;
        Endpoint = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Point AWS_ENDPOINT_URL_KINESIS here.</summary>
    public Uri Endpoint { get; }

    public int Calls => Volatile.Read(ref _calls);

    public long Entries => Interlocked.Read(ref _entries);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public static PutRecordsStandIn Start(TimeSpan latency)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new PutRecordsStandIn(latency, port);
    }

    /// <summary>Starts a new count (e.g. after warm-up invocations).</summary>
    public void ResetCounts()
    {
        Volatile.Write(ref _calls, 0);
        Interlocked.Exchange(ref _entries, 0);
        Volatile.Write(ref _maxInFlight, 0);
    }

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
    }

    private async Task AcceptLoopAsync()
    {
        while (_listener.IsListening)
        {
            var context = await _listener.GetContextAsync().ConfigureAwait(false);
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        int seen;
        while (inFlight > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, inFlight, seen) != seen)
        {
        }

        try
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body).ConfigureAwait(false);
            var target = context.Request.Headers["X-Amz-Target"] ?? "";
            if (!target.EndsWith(".PutRecords", StringComparison.Ordinal))
            {
                await RespondAsync(context, 400, """{"__type":"ValidationException","message":"the stand-in answers PutRecords only"}"""u8.ToArray()).ConfigureAwait(false);
                return;
            }

            var count = CountEntries(body.GetBuffer().AsSpan(0, (int)body.Length));
            await Task.Delay(_latency).ConfigureAwait(false);
            Interlocked.Increment(ref _calls);
            Interlocked.Add(ref _entries, count);
            await RespondAsync(context, 200, Answer(count)).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpListenerException or IOException or JsonException)
        {
            context.Response.Abort();
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>The objects in the request's top-level "Records" array.</summary>
    private static int CountEntries(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var count = 0;
        var inRecords = false;
        while (reader.Read())
        {
            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
            {
                inRecords = reader.ValueTextEquals("Records"u8);
            }
            else if (inRecords && reader.CurrentDepth == 2 && reader.TokenType == JsonTokenType.StartObject)
            {
                count++;
            }
        }

        return count;
    }

    private static byte[] Answer(int count)
    {
        using var buffer = new MemoryStream(count * 110 + 64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("FailedRecordCount", 0);
            writer.WriteStartArray("Records");
            for (var i = 0; i < count; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("SequenceNumber", string.Create(CultureInfo.InvariantCulture, $"4963008166608487929058118563032477039860870488080{i:D7}"));
                writer.WriteString("ShardId", "shardId-000000000000");
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static async Task RespondAsync(HttpListenerContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/x-amz-json-1.1";
        context.Response.ContentLength64 = body.Length;
        await context.Response.OutputStream.WriteAsync(body).ConfigureAwait(false);
        context.Response.Close();
    }
}
