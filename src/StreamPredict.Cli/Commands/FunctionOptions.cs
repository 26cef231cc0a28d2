using System.CommandLine;
using StreamPredict.Cli.Infrastructure;

namespace StreamPredict.Cli.Commands;

/// <summary>Options shared by the verbs that run the function process (`invoke`, `run`).</summary>
internal sealed class FunctionOptions
{
    public Option<string[]> Env { get; } = new("--env")
    {
        Description = "NAME=VALUE for the function's environment (repeatable); the rest comes from this shell, as template.yaml's variables would.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<TimeSpan> Timeout { get; } = new("--timeout")
    {
        Description = "The function timeout (deadline per invocation), e.g. 60s.",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(60),
        CustomParser = DurationParser.Parse,
    };

    public Option<int> Memory { get; } = new("--memory")
    {
        Description = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE reported to the function, in MB.",
        DefaultValueFactory = _ => 512,
    };

    public FunctionOptions()
    {
        // Lambda's limits.
        Memory.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 128 or > 10_240)
            {
                result.AddError("--memory must be 128..10240 MB, Lambda's range.");
            }
        });
        Timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<TimeSpan>() is var timeout && (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromMinutes(15)))
            {
                result.AddError("--timeout must be more than 0 and at most 15 minutes, Lambda's range.");
            }
        });
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Env);
        command.Options.Add(Timeout);
        command.Options.Add(Memory);
    }

    /// <summary>The shell's environment (and the caller's overrides) with each --env applied.</summary>
    public Dictionary<string, string> Environment(CliContext context, ParseResult parse)
    {
        var variables = context.ChildEnvironment();
        foreach (var pair in parse.GetValue(Env) ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliException($"--env '{pair}' is not NAME=VALUE.");
            }

            variables[pair[..equals]] = pair[(equals + 1)..];
        }

        return variables;
    }
}
