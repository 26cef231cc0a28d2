using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace StreamPredict.Web.Lambda;

/// <summary>
/// The response of one invocation, collected in memory (API Gateway takes the whole response at once): status,
/// headers and body, with the start and completion callbacks ASP.NET Core components register.
/// </summary>
internal sealed class InvocationResponseFeature : IHttpResponseFeature, IHttpResponseBodyFeature, IDisposable
{
    private readonly MemoryStream _body = new();
    private readonly List<(Func<object, Task> Callback, object State)> _onStarting = [];
    private readonly List<(Func<object, Task> Callback, object State)> _onCompleted = [];
    private readonly StartingStream _stream;
    private PipeWriter? _writer;

    public InvocationResponseFeature() => _stream = new StartingStream(this, _body);

    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

    public Stream Body
    {
        get => _stream;
        set => throw new NotSupportedException("The Lambda response body cannot be replaced.");
    }

    public bool HasStarted { get; private set; }

    public Stream Stream => _stream;

    public PipeWriter Writer => _writer ??= PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));

    /// <summary>The body written so far.</summary>
    public ReadOnlySpan<byte> Written => _body.GetBuffer().AsSpan(0, (int)_body.Length);

    public void OnStarting(Func<object, Task> callback, object state) => _onStarting.Add((callback, state));

    public void OnCompleted(Func<object, Task> callback, object state) => _onCompleted.Add((callback, state));

    public void DisableBuffering()
    {
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (HasStarted)
        {
            return;
        }

        // Registered last, run first, as Kestrel does.
        for (var i = _onStarting.Count - 1; i >= 0; i--)
        {
            await _onStarting[i].Callback(_onStarting[i].State).ConfigureAwait(false);
        }

        HasStarted = true;
    }

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        var file = File.OpenRead(path);
        await using var _ = file.ConfigureAwait(false);
        file.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[count ?? file.Length - offset];
        await file.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        await _body.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Flushes what the app wrote and runs the completion callbacks; the response is then whole.</summary>
    public async Task CompleteAsync()
    {
        if (_writer is not null)
        {
            await _writer.FlushAsync().ConfigureAwait(false);
        }

        await StartAsync().ConfigureAwait(false);
        for (var i = _onCompleted.Count - 1; i >= 0; i--)
        {
            await _onCompleted[i].Callback(_onCompleted[i].State).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _body.Dispose();
    }

    /// <summary>Starts the response (runs OnStarting) before the first byte of the body, as a server does.</summary>
    private sealed class StartingStream(InvocationResponseFeature owner, MemoryStream body) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => body.Length;

        public override long Position
        {
            get => body.Position;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            owner.StartAsync().GetAwaiter().GetResult();
            body.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await owner.StartAsync(cancellationToken).ConfigureAwait(false);
            await body.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
