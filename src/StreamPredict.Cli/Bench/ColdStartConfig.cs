namespace StreamPredict.Cli.Bench;

/// <summary>One way of publishing the function for the cold-start bench, as `dotnet publish` arguments.</summary>
internal sealed record ColdStartConfig(string Name, string Description, IReadOnlyList<string> PublishArguments)
{
    public static readonly IReadOnlyList<ColdStartConfig> All =
    [
        new("framework", "framework-dependent (the dotnet10 managed runtime), JIT only",
            ["-r", "linux-x64", "--self-contained", "false"]),
        new("r2r", "self-contained ReadyToRun (provided.al2023, what the Makefile ships)",
            ["-r", "linux-x64", "--self-contained", "true", "-p:PublishReadyToRun=true"]),
        new("r2r-trimmed", "self-contained ReadyToRun + trimming",
            ["-r", "linux-x64", "--self-contained", "true", "-p:PublishReadyToRun=true", "-p:PublishTrimmed=true"]),
        new("r2r-composite", "self-contained ReadyToRun composite (framework and app compiled together) + trimming",
            ["-r", "linux-x64", "--self-contained", "true", "-p:PublishReadyToRun=true", "-p:PublishTrimmed=true", "-p:PublishReadyToRunComposite=true"]),
    ];

    /// <summary>Names from --config (each may be a comma-separated list); none means every configuration.</summary>
    public static IReadOnlyList<ColdStartConfig> Parse(IEnumerable<string>? names)
    {
        var chosen = new List<ColdStartConfig>();
        foreach (var name in (names ?? []).SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var config = All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new Infrastructure.CliException($"--config: unknown configuration '{name}'; use one of {string.Join(", ", All.Select(c => c.Name))}.");
            if (!chosen.Contains(config))
            {
                chosen.Add(config);
            }
        }

        return chosen.Count > 0 ? chosen : All;
    }
}
