using StreamPredict.Aws.Kinesis;

namespace StreamPredict.Function.Publishing;

/// <summary>The writer of a dry run (TEST_RUN=True): the handler never publishes then, and this proves it by refusing.</summary>
internal sealed class DisabledKinesisWriter : IKinesisWriter
{
    public static DisabledKinesisWriter Instance { get; } = new();

    public Task<PutRecordsResult> PutRecordsAsync(string streamName, IReadOnlyList<PutRecordsEntry> entries, CancellationToken cancellationToken)
        => throw new InvalidOperationException($"TEST_RUN=True: publishing to '{streamName}' is disabled.");
}
