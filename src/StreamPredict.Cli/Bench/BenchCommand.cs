using System.CommandLine;
using StreamPredict.Cli.Commands;
using StreamPredict.Cli.Infrastructure;

namespace StreamPredict.Cli.Bench;

/// <summary>`bench handler | coldstart | e2e | publish`: the performance figures quoted in the README, reproducible by one command each.</summary>
internal static class BenchCommand
{
    public static Command Create(CliContext context)
    {
        var bench = new Command("bench", "Measure the function (in-process hot path, cold start, end to end through Kinesis) and the batch job.");
        bench.Subcommands.Add(HandlerCommand(context));
        bench.Subcommands.Add(ColdStartCommand.Create(context));
        bench.Subcommands.Add(E2eCommand.Create(context));
        bench.Subcommands.Add(PublishBenchCommand.Create(context));
        bench.Subcommands.Add(BatchBenchCommand.Create(context));
        return bench;
    }

    /// <summary>--records (1..100000 per invocation) and --rounds (1..1000), checked, for the benches that take both.</summary>
    internal static (int Records, int Rounds) RecordsAndRounds(ParseResult parse, Option<int> records, Option<int> rounds)
    {
        var count = parse.GetValue(records);
        if (count is < 1 or > 100_000)
        {
            throw new CliException($"--records must be 1..100000, got {count}.");
        }

        var roundCount = parse.GetValue(rounds);
        if (roundCount is < 1 or > 1000)
        {
            throw new CliException($"--rounds must be 1..1000, got {roundCount}.");
        }

        return (count, roundCount);
    }

    private static Command HandlerCommand(CliContext context)
    {
        var model = new Option<FileInfo>("--model") { Description = "The model artifact (streampredict.model/v1 JSON).", Required = true };
        var records = new Option<int>("--records") { Description = "Records per invocation (batch size), 1..100000.", DefaultValueFactory = _ => 10_000 };
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds; the median is reported.", DefaultValueFactory = _ => 7 };
        var json = CommandActions.JsonOption();
        var command = new Command("handler", "Dry-run records/s of the function's handler in this process, bytes allocated per record, and peak RSS.")
        {
            model, records, rounds, json,
        };
        CommandActions.Set(command, context, async (parse, cancellationToken) =>
        {
            var (count, roundCount) = RecordsAndRounds(parse, records, rounds);

            var file = parse.GetRequiredValue(model);
            var compiled = (await ModelFiles.LoadAsync(context, file.FullName, "--model", cancellationToken).ConfigureAwait(false)).Model;
            var result = HandlerBench.Run(compiled, count, roundCount);
            context.WriteSummary(result.ToSummary(file.Name), parse.GetValue(json));
            return ExitCodes.Success;
        });
        return command;
    }
}
