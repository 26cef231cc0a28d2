using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace StreamPredict.Web.Http;

/// <summary>A request body read whole into a pooled array; dispose to return it.</summary>
internal sealed class PooledBody(byte[] array, int length) : IDisposable
{
    private byte[]? _array = array;

    public int Length { get; } = length;

    public ReadOnlySpan<byte> Span => _array.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, Length);

    public void Dispose()
    {
        if (_array is { } array)
        {
            _array = null;
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}

internal static class RequestBody
{
    /// <summary>
    /// The whole body, or null when it is over <paramref name="maxBytes"/> (the caller answers 413): a Content-Length
    /// over the cap is refused before reading, and a chunked body as soon as it passes the cap.
    /// </summary>
    public static async ValueTask<PooledBody?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length > maxBytes)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return null;
            }

            if (result.IsCompleted)
            {
                var length = (int)buffer.Length;
                var array = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
                buffer.CopyTo(array);
                reader.AdvanceTo(buffer.End);
                return new PooledBody(array, length);
            }

            // Nothing consumed, everything examined: wake up when more arrives.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
