using System.Diagnostics;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Serving.Rides;

namespace StreamPredict.Cli.Producing;

/// <summary>What a produce run did.</summary>
public sealed record ProducerStats(long Sent, long PutRecordsCalls, long Resent, TimeSpan Elapsed, long KinesisRecords)
{
    public double RecordsPerSecond => Elapsed > TimeSpan.Zero ? Sent / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// The backend: sends ride-started events to the input stream in PutRecords batches (≤ 500), partition key = ride_id,
/// optionally paced to a rate, optionally packed into KPL aggregated records. Failed entries are re-sent by <see cref="KinesisBatchPublisher"/>.
/// </summary>
public sealed class RideEventProducer(IKinesisWriter kinesis, string streamName, bool aggregate = false)
{
    /// <summary>With a rate: the longest a ride waits in the buffer before its batch is sent.</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(100);

    private readonly IKinesisWriter _kinesis = kinesis ?? throw new ArgumentNullException(nameof(kinesis));

    /// <param name="ratePerSecond">Null sends as fast as Kinesis takes them.</param>
    /// <param name="progress">Receives the number of records accepted so far.</param>
    public async Task<ProducerStats> ProduceAsync(IEnumerable<RideEvent> rides, double? ratePerSecond = null,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rides);
        if (ratePerSecond is <= 0 or double.NaN)
        {
            throw new ArgumentOutOfRangeException(nameof(ratePerSecond), ratePerSecond, "The rate must be a positive number of records per second.");
        }

        var publisher = new KinesisBatchPublisher(_kinesis, streamName, aggregate: aggregate);
        var started = Stopwatch.GetTimestamp();
        long n = 0;
        var oldestPending = TimeSpan.Zero;
        foreach (var ride in rides)
        {
            if (ratePerSecond is { } rate)
            {
                // Ride n is due at n / rate seconds. Buffered rides are sent once the oldest has waited Linger, so paced
                // rides arrive close to their time instead of in bursts of 500.
                var due = TimeSpan.FromSeconds(n / rate);
                if (publisher.Pending > 0 && due - oldestPending >= Linger)
                {
                    await FlushAsync(publisher, progress, cancellationToken).ConfigureAwait(false);
                }

                var wait = due - Stopwatch.GetElapsedTime(started);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }

                if (publisher.Pending == 0)
                {
                    oldestPending = due;
                }
            }

            if (publisher.Pending == PutRecordsLimits.MaxEntriesPerCall)
            {
                await FlushAsync(publisher, progress, cancellationToken).ConfigureAwait(false);
            }

            await publisher.AddAsync(ride.ToUtf8Json(), ride.RideId, cancellationToken).ConfigureAwait(false);
            n++;
        }

        await FlushAsync(publisher, progress, cancellationToken).ConfigureAwait(false);
        return new ProducerStats(publisher.Sent, publisher.PutRecordsCalls, publisher.Resent, Stopwatch.GetElapsedTime(started), publisher.KinesisRecordsSent);
    }

    private static async Task FlushAsync(KinesisBatchPublisher publisher, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        await publisher.FlushAsync(cancellationToken).ConfigureAwait(false);
        progress?.Report(publisher.Sent);
    }
}
