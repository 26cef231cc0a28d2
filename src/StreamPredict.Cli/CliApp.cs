using System.CommandLine;
using StreamPredict.Cli.Commands;
using StreamPredict.Cli.Infrastructure;

namespace StreamPredict.Cli;

/// <summary>The `streampredict` command tree; the in-process entry point for tests as well as Program.</summary>
public static class CliApp
{
    /// <summary>Parses and runs one command line. Exit codes: 0 success, 1 failure, 2 bad usage, 130 cancelled.</summary>
    /// <param name="environment">Variables that take precedence over the process environment (also passed to the function process).</param>
    public static Task<int> InvokeAsync(string[] args, TextWriter stdout, TextWriter stderr,
        IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var context = new CliContext(stdout, stderr, environment ?? new Dictionary<string, string>());
        var root = CreateRootCommand(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"error: {error.Message}");
            }

            stderr.WriteLine("Run 'streampredict --help' (or '<verb> --help') for usage.");
            return Task.FromResult(ExitCodes.Usage);
        }

        // Ctrl-C cancels the verb's token; give it time to stop the function process and the emulators (stop.sh waits up
        // to 5 s per process) before the runtime ends the process anyway.
        return parse.InvokeAsync(new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
        }, cancellationToken);
    }

    internal static RootCommand CreateRootCommand(CliContext context)
    {
        var root = new RootCommand("StreamPredict: train, ship and run the ride-duration model on Kinesis, locally or on AWS.");
        root.Subcommands.Add(TrainCommand.Create(context));
        root.Subcommands.Add(ModelCommand.Create(context));
        root.Subcommands.Add(PredictCommand.Create(context));
        root.Subcommands.Add(ProduceCommand.Create(context));
        root.Subcommands.Add(Scoring.ScoreCommand.Create(context));
        root.Subcommands.Add(TailCommand.Create(context));
        root.Subcommands.Add(InvokeCommand.Create(context));
        root.Subcommands.Add(RunCommand.Create(context));
        root.Subcommands.Add(StartLambdaCommand.Create(context));
        root.Subcommands.Add(ServeCommand.Create(context));
        root.Subcommands.Add(DemoCommand.Create(context));
        root.Subcommands.Add(Bench.BenchCommand.Create(context));
        return root;
    }
}
