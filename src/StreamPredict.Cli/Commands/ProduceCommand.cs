using System.CommandLine;
using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.Cli.Producing;
using StreamPredict.Serving.Rides;

namespace StreamPredict.Cli.Commands;

/// <summary>`produce`: the backend, sending ride-started events from real TLC trips.</summary>
internal static class ProduceCommand
{
    public static Command Create(CliContext context)
    {
        var stream = new Option<string>("--stream") { Description = "The input stream.", DefaultValueFactory = _ => "ride_events" };
        var data = new Option<FileInfo>("--data") { Description = "TLC trips (parquet, CSV or csv.gz; green or yellow) that become rides.", Required = true };
        var rate = new Option<double?>("--rate") { Description = "Records per second (default: as fast as Kinesis takes them)." };
        rate.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is <= 0 or double.NaN)
            {
                result.AddError("--rate must be a positive number of records per second.");
            }
        });
        var count = new Option<long?>("--count") { Description = "How many rides (default: every trip in the file once; more repeats the trips)." };
        count.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<long?>() is < 1)
            {
                result.AddError("--count must be at least 1.");
            }
        });
        var prefix = new Option<string?>("--id-prefix") { Description = "ride_id prefix; ids are PREFIX-0000000, PREFIX-0000001, ... (default: ride-<8 random hex>)." };
        var aggregate = new Option<bool>("--aggregate") { Description = "Pack the rides into KPL aggregated records (50 KiB each), as the Kinesis Producer Library does." };
        var json = CommandActions.JsonOption();
        var command = new Command("produce", "Send ride-started events from TLC trips to Kinesis with batched PutRecords.") { stream, data, rate, count, prefix, aggregate, json };
        CommandActions.Set(command, context, async (parse, cancellationToken) =>
        {
            var produced = await ProduceAsync(context, parse.GetRequiredValue(stream), parse.GetRequiredValue(data), parse.GetValue(rate),
                parse.GetValue(count), parse.GetValue(prefix), parse.GetValue(aggregate), cancellationToken).ConfigureAwait(false);
            context.WriteSummary(produced.ToSummary(), parse.GetValue(json));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Task<ProduceResult> ProduceAsync(CliContext context, string stream, FileInfo data, double? rate, long? count, string? prefix,
        CancellationToken cancellationToken) => ProduceAsync(context, stream, data, rate, count, prefix, aggregate: false, cancellationToken);

    /// <param name="aggregate">KPL aggregated records instead of one Kinesis record per ride.</param>
    public static async Task<ProduceResult> ProduceAsync(CliContext context, string stream, FileInfo data, double? rate, long? count, string? prefix,
        bool aggregate, CancellationToken cancellationToken)
    {
        if (!data.Exists)
        {
            throw new CliException($"--data: file '{data.FullName}' does not exist.");
        }

        prefix ??= TlcRideSource.NewPrefix();
        if (prefix.Length is 0 or > 200 || prefix.Any(char.IsWhiteSpace))
        {
            throw new CliException($"--id-prefix '{prefix}' must be 1..200 characters without spaces (ride_id is the partition key, at most 256).");
        }

        var rides = TlcRideSource.Read(data.FullName, count, prefix);
        using var kinesis = new KinesisClient(AwsEnvironment.FromEnvironment(context.GetVariable));
        var producer = new RideEventProducer(kinesis, stream, aggregate);
        var result = await Progress.RunAsync(context, $"produce → {stream}", rides.Count,
            progress => producer.ProduceAsync(rides, rate, progress, cancellationToken)).ConfigureAwait(false);
        return new ProduceResult
        {
            Stream = stream,
            Sent = result.Sent,
            Aggregated = aggregate,
            KinesisRecords = result.KinesisRecords,
            PutRecordsCalls = result.PutRecordsCalls,
            ResentAfterFailure = result.Resent,
            FirstRideId = rides.Count > 0 ? rides[0].RideId : null,
            LastRideId = rides.Count > 0 ? rides[^1].RideId : null,
            Seconds = result.Elapsed.TotalSeconds,
            RecordsPerSecond = result.RecordsPerSecond,
        };
    }
}
