using Spectre.Console;

namespace StreamPredict.Cli.Infrastructure;

/// <summary>A Spectre.Console progress bar on stderr when a person watches; a silent counter otherwise.</summary>
internal static class Progress
{
    public static async Task<T> RunAsync<T>(CliContext context, string description, double maxValue, Func<IProgress<double>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(work);
        if (!context.Interactive)
        {
            return await work(new Progress<double>()).ConfigureAwait(false);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape(description), maxValue: Math.Max(1, maxValue));
                // No known end (e.g. `run` without --max-records): a spinner and a running count instead of a bar.
                task.IsIndeterminate = maxValue <= 0;
                var result = await work(new SetValue(task, description)).ConfigureAwait(false);
                task.Value = task.MaxValue;
                return result;
            }).ConfigureAwait(false);
    }

    private sealed class SetValue(ProgressTask task, string description) : IProgress<double>
    {
        public void Report(double value)
        {
            if (task.IsIndeterminate)
            {
                task.Description = Markup.Escape($"{description}: {value:N0}");
            }
            else
            {
                task.Value = Math.Min(value, task.MaxValue);
            }
        }
    }
}
