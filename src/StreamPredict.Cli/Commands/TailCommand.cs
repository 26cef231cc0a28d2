using System.CommandLine;
using System.Text.Json;
using System.Text;
using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.Cli.Tailing;
using StreamPredict.LocalLambda.EventSourceMapping;

namespace StreamPredict.Cli.Commands;

/// <summary>`tail`: every shard's records as JSON lines.</summary>
internal static class TailCommand
{
    public static Command Create(CliContext context)
    {
        var stream = new Option<string>("--stream") { Description = "The stream to read.", DefaultValueFactory = _ => "ride_predictions" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep reading new records until Ctrl-C." };
        var from = new Option<string>("--from") { Description = "Where to start: trim-horizon (oldest) or latest.", DefaultValueFactory = _ => "trim-horizon" };
        from.AcceptOnlyFromAmong("trim-horizon", "latest");
        var max = new Option<long?>("--max") { Description = "Stop after this many records." };
        var envelope = new Option<bool>("--envelope") { Description = "Wrap each record with its shard, sequence number, partition key and arrival time." };
        var json = CommandActions.JsonOption();
        var command = new Command("tail", "Print a stream's records as JSON lines (one per record), reading every shard.") { stream, follow, from, max, envelope, json };
        CommandActions.Set(command, context, async (parse, cancellationToken) =>
        {
            var name = parse.GetRequiredValue(stream);
            var limit = parse.GetValue(max);
            var wrap = parse.GetValue(envelope);
            using var kinesis = new KinesisClient(AwsEnvironment.FromEnvironment(context.GetVariable));
            long count = 0;
            var tailer = new StreamTailer(kinesis, name);
            try
            {
                await tailer.ReadAsync(parse.GetValue(from) == "latest", parse.GetValue(follow), record =>
                {
                    context.Out.WriteLine(Format(record, wrap));
                    return ++count < (limit ?? long.MaxValue);
                }, idleTimeout: null, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && parse.GetValue(follow))
            {
                // Ctrl-C is how --follow ends.
            }

            if (parse.GetValue(json))
            {
                context.WriteSummary(new Summary().Add("stream", name).Add("records", count), json: true);
            }
            else
            {
                context.Info($"{count} record(s) from {name}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The record's data when it is JSON (compacted to one line); otherwise, or with envelope, a wrapper.</summary>
    public static string Format(ShardRecord shardRecord, bool envelope)
    {
        var record = shardRecord.Record;
        JsonDocument? document = null;
        try
        {
            document = JsonDocument.Parse(record.Data);
        }
        catch (JsonException)
        {
            // Not JSON: shown as base64 inside the envelope.
        }

        using (document)
        {
            if (document is not null && !envelope)
            {
                var text = Encoding.UTF8.GetString(record.Data);
                return text.Contains('\n', StringComparison.Ordinal) ? Compact(document.RootElement) : text;
            }

            return JsonLine.Write(writer =>
            {
                writer.WriteStartObject();
                JsonLine.WriteRecordPosition(writer, shardRecord.ShardId, record);
                if (document is not null)
                {
                    writer.WritePropertyName("data");
                    document.RootElement.WriteTo(writer);
                }
                else
                {
                    writer.WriteBase64String("data_base64", record.Data);
                }

                writer.WriteEndObject();
            });
        }
    }

    private static string Compact(JsonElement element) => JsonLine.Write(element.WriteTo);
}
