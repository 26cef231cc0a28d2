using StreamPredict.Aws.Kinesis;
using StreamPredict.Aws.Lambda.Events;

namespace StreamPredict.LocalLambda.EventSourceMapping;

/// <summary>Builds the event Lambda's Kinesis event source mapping sends for a batch read from one shard.</summary>
public static class LambdaKinesisEvent
{
    /// <summary>The role ARN Lambda puts in invokeIdentityArn; locally a role in the stream's account.</summary>
    public static string InvokeIdentityArn(string streamArn)
    {
        ArgumentNullException.ThrowIfNull(streamArn);
        var parts = streamArn.Split(':');
        var account = parts.Length > 4 && parts[4].Length > 0 ? parts[4] : "000000000000";
        return $"arn:aws:iam::{account}:role/streampredict-local-event-source";
    }

    /// <summary>approximateArrivalTimestamp is epoch seconds with the milliseconds as a fraction, as Lambda writes it.</summary>
    public static double EpochSeconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    /// <param name="invokeIdentityArn">The execution role; default <see cref="InvokeIdentityArn(string)"/>.</param>
    public static byte[] Build(IReadOnlyList<KinesisRecord> records, string shardId, string streamArn, string? invokeIdentityArn = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        return KinesisEventWriter.Write(
            records.Select(record => new SourceRecord(
                Convert.ToBase64String(record.Data), record.PartitionKey, record.SequenceNumber,
                EpochSeconds(record.ApproximateArrivalTimestamp), shardId)),
            streamArn, invokeIdentityArn ?? InvokeIdentityArn(streamArn));
    }
}
