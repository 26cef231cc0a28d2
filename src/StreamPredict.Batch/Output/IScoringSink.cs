namespace StreamPredict.Batch.Output;

/// <summary>
/// Where scored chunks go. Nothing written becomes visible before <see cref="CommitAsync"/>; disposing an uncommitted sink
/// throws its work away (a crash leaves nothing at the final path, key or table rows).
/// </summary>
public interface IScoringSink : IAsyncDisposable
{
    /// <summary>The predictions' final place, for the summary (a path, an s3:// URL, or a table; never a password).</summary>
    string Destination { get; }

    /// <summary>Where the rejected rows go.</summary>
    string RejectedDestination { get; }

    Task WriteAsync(ScoredChunk chunk, CancellationToken cancellationToken);

    /// <summary>Makes the whole run visible at once, replacing an earlier run's output for the same month and run.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}
