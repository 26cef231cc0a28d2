using System.Collections;

namespace StreamPredict.Cli.Infrastructure;

/// <summary>Where a command writes and which environment it sees; one per invocation, so tests can run in-process.</summary>
internal sealed class CliContext(TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string> overrides)
{
    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    /// <summary>Variables that win over the process environment; child processes get them too.</summary>
    public IReadOnlyDictionary<string, string> Overrides { get; } = overrides;

    /// <summary>Set for work that runs beside another progress display (two live displays would fight over the terminal).</summary>
    public bool ProgressDisabled { get; init; }

    /// <summary>Progress bars only when a person watches: the real console's stderr, attached to a terminal.</summary>
    public bool Interactive => !ProgressDisabled && ReferenceEquals(Error, Console.Error) && !Console.IsErrorRedirected;

    public string? GetVariable(string name) =>
        Overrides.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name);

    /// <summary>The full environment a child process should see: the process environment overlaid with the overrides.</summary>
    public Dictionary<string, string> ChildEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        foreach (var (name, value) in Overrides)
        {
            variables[name] = value;
        }

        return variables;
    }

    public void Info(string message) => Error.WriteLine(message);

    /// <summary>Human lines, or with --json one machine-readable line that is the last thing on stdout.</summary>
    public void WriteSummary(Summary summary, bool json)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (json)
        {
            Out.WriteLine(summary.ToJson());
        }
        else
        {
            summary.WriteText(Out);
        }

        Out.Flush();
    }
}
