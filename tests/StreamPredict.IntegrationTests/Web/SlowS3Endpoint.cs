using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace StreamPredict.IntegrationTests.Web;

/// <summary>
/// A loopback S3 endpoint that holds every request for the model until <see cref="Release"/>, then serves the bytes
/// (GET) or the ETag (HEAD): a model download that takes as long as the test wants.
/// </summary>
internal sealed class SlowS3Endpoint : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _model;
    private readonly Task _loop;

    public SlowS3Endpoint(byte[] model)
    {
        _model = model;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}");
        probe.Stop();
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public string Url { get; }

    public int Requests;

    public void Release() => _released.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Release();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
        {
        }
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                Interlocked.Increment(ref Requests);
                await _released.Task;
                context.Response.Headers["ETag"] = "\"slow-etag\"";
                context.Response.ContentLength64 = _model.Length;
                if (context.Request.HttpMethod == "GET")
                {
                    await context.Response.OutputStream.WriteAsync(_model);
                }

                context.Response.Close();
            });
        }
    }
}
