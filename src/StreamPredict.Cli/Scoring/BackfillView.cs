using System.Collections.Concurrent;
using System.Globalization;
using Spectre.Console;
using StreamPredict.Batch;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.Model;

namespace StreamPredict.Cli.Scoring;

/// <summary>A backfill on the terminal: a progress bar per month while it runs, then a table of every month.</summary>
internal static class BackfillView
{
    public static async Task<int> RunAsync(CliContext context, ScorePlan plan, IReadOnlyList<ScoringMonth> months, CompiledModel model, string runId,
        ScoringOptions options, bool json, CancellationToken cancellationToken)
    {
        // Months share the cores: each one's prediction gets its share.
        var perMonth = options with { Parallelism = Math.Max(1, Environment.ProcessorCount / Math.Min(plan.Parallel, months.Count)) };
        IReadOnlyList<MonthOutcome> outcomes;
        if (context.Interactive)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            outcomes = await console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async progress =>
                {
                    var tasks = new ConcurrentDictionary<ScoringMonth, ProgressTask>();
                    foreach (var month in months)
                    {
                        tasks[month] = progress.AddTask(month.ToString(), autoStart: false, maxValue: 1);
                    }

                    return await Backfill.RunAsync(months, plan.Parallel, async (month, token) =>
                    {
                        var task = tasks[month];
                        task.StartTask();
                        try
                        {
                            return await ScoringJob.RunAsync(plan.Request(month, model, runId), perMonth with
                            {
                                RowCountKnown = rows => task.MaxValue = Math.Max(1, rows ?? 0),
                                Progress = new Progress<long>(rows => task.Value = Math.Min(rows, task.MaxValue)),
                            }, token).ConfigureAwait(false);
                        }
                        catch
                        {
                            task.Description = Markup.Escape($"{month} failed");
                            throw;
                        }
                        finally
                        {
                            task.Value = task.MaxValue;
                            task.StopTask();
                        }
                    }, cancellationToken).ConfigureAwait(false);
                }).ConfigureAwait(false);
        }
        else
        {
            outcomes = await Backfill.RunAsync(months, plan.Parallel,
                (month, token) => ScoringJob.RunAsync(plan.Request(month, model, runId), perMonth, token), cancellationToken).ConfigureAwait(false);
        }

        var failed = outcomes.Count(o => !o.Succeeded);
        if (json)
        {
            context.Out.WriteLine(Json(outcomes));
        }
        else
        {
            WriteTable(context.Out, outcomes);
        }

        foreach (var outcome in outcomes.Where(o => !o.Succeeded))
        {
            context.Error.WriteLine($"error: {outcome.Month}: {outcome.Error}");
        }

        return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static void WriteTable(TextWriter output, IReadOnlyList<MonthOutcome> outcomes)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in new[] { "month", "status", "rows_in", "scored", "filtered", "rejected", "seconds", "rows/s", "output" })
        {
            table.AddColumn(header);
        }

        foreach (var outcome in outcomes)
        {
            var r = outcome.Result;
            table.AddRow(
                outcome.Month.ToString(),
                r is null ? "FAILED" : "ok",
                N(r?.RowsIn), N(r?.Scored), N(r?.Filtered), N(r?.Rejected),
                r is null ? "-" : r.Seconds.ToString("0.00", CultureInfo.InvariantCulture),
                r is null ? "-" : r.RowsPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                Markup.Escape(r?.Output ?? outcome.Error ?? ""));
        }

        var ok = outcomes.Where(o => o.Succeeded).Select(o => o.Result!).ToList();
        table.AddRow("total", $"{ok.Count}/{outcomes.Count} ok", N(ok.Sum(r => r.RowsIn)), N(ok.Sum(r => r.Scored)), N(ok.Sum(r => r.Filtered)), N(ok.Sum(r => r.Rejected)), "", "", "");
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 200;
        console.Write(table);
    }

    private static string N(long? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "-";

    private static string Json(IReadOnlyList<MonthOutcome> outcomes)
    {
        var months = new Summary();
        foreach (var outcome in outcomes)
        {
            months.Add(outcome.Month.ToString(), outcome.Result is { } result
                ? ScoreSummary.Of(result).Add("status", "ok")
                : new Summary().Add("status", "failed").Add("error", outcome.Error));
        }

        var ok = outcomes.Where(o => o.Succeeded).Select(o => o.Result!).ToList();
        return new Summary()
            .Add("months", outcomes.Count)
            .Add("succeeded", ok.Count)
            .Add("failed", outcomes.Count - ok.Count)
            .Add("rows_in", ok.Sum(r => r.RowsIn))
            .Add("scored", ok.Sum(r => r.Scored))
            .Add("filtered", ok.Sum(r => r.Filtered))
            .Add("rejected", ok.Sum(r => r.Rejected))
            .Add("by_month", months)
            .ToJson();
    }
}
