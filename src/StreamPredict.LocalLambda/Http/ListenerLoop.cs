using System.Net;

namespace StreamPredict.LocalLambda.Http;

/// <summary>
/// Serves every request of a started <see cref="HttpListener"/> on the thread pool until disposed; disposing closes the
/// listener. The loopback Runtime API and the invoke endpoint both run on it.
/// </summary>
internal sealed class ListenerLoop : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<HttpListenerContext, Task> _serve;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public ListenerLoop(HttpListener listener, Func<HttpListenerContext, Task> serve)
    {
        _listener = listener;
        _serve = serve;
        Stopping = _stop.Token;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Cancelled when disposing starts: work a request waits on should give up then.</summary>
    public CancellationToken Stopping { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Close();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
            // Closing the listener ends the accept loop this way.
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => _serve(context));
        }
    }
}
