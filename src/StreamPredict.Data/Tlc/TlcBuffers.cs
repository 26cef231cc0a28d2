using System.Buffers;

namespace StreamPredict.Data.Tlc;

/// <summary>
/// Buffers for chunks of trips and the batch job's columns. Not <see cref="ArrayPool{T}.Shared"/>: it also keeps a returned array in the
/// returning thread's own slot, and a month passes through many thread-pool threads, so million-row buffers piled up one
/// per thread and peak memory grew with the file. These pools keep at most a few arrays per size, whoever returns them.
/// </summary>
public static class TlcBuffers
{
    public static ArrayPool<T> Pool<T>() => Holder<T>.Pool;

    private static class Holder<T>
    {
        public static readonly ArrayPool<T> Pool = ArrayPool<T>.Create(maxArrayLength: 1 << 28, maxArraysPerBucket: 3);
    }
}
