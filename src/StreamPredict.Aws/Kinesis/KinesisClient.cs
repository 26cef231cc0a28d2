using StreamPredict.Aws.Configuration;

namespace StreamPredict.Aws.Kinesis;

/// <summary>A small Kinesis client over the JSON 1.1 protocol, signed with SigV4.</summary>
public sealed class KinesisClient : IKinesisWriter, IDisposable
{
    public KinesisClient(AwsEnvironment environment) => _ = environment;

    public Task<PutRecordsResult> PutRecordsAsync(string streamName, IReadOnlyList<PutRecordsEntry> entries, CancellationToken cancellationToken)
        => throw new NotImplementedException();

    public void Dispose() { }
}
