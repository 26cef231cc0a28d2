namespace StreamPredict.Cli.Bench;

/// <summary>One way of publishing the function for the cold-start bench, as `dotnet publish` arguments.</summary>
internal sealed record ColdStartConfig(string Name, string Description, IReadOnlyList<string> PublishArguments)
{
    /// <summary>
    /// What src/StreamPredict.Function/Makefile passes to `dotnet publish` (a unit test keeps the two equal): NativeAOT, one
    /// native executable with no JIT and no IL to load, and no debug symbols in the package: DebugType=none produces none,
    /// and CopyOutputSymbolsToPublishDirectory=false keeps a bootstrap.dbg left in obj/ by an earlier publish out of it.
    /// </summary>
    public static readonly IReadOnlyList<string> ShippedPublishArguments =
    [
        "-r", "linux-x64", "-p:PublishAot=true", "-p:DebugType=none", "-p:CopyOutputSymbolsToPublishDirectory=false",
    ];

    /// <summary>
    /// The composite ReadyToRun build shipped before NativeAOT: trimmed, one image of the framework and the app so generic
    /// code instantiated across assemblies is precompiled, for x86-64-v3 (AVX2) so the vectorised helpers are too.
    /// </summary>
    public static readonly IReadOnlyList<string> CompositeReadyToRunArguments =
    [
        "-r", "linux-x64", "--self-contained", "true", "-p:PublishReadyToRun=true", "-p:PublishTrimmed=true",
        "-p:PublishReadyToRunComposite=true", "-p:PublishReadyToRunCrossgen2ExtraArgs=--instruction-set:x86-64-v3",
    ];

    public static readonly IReadOnlyList<ColdStartConfig> All =
    [
        new("aot", "NativeAOT, no debug symbols (what the Makefile ships)", ShippedPublishArguments),
        new("framework", "framework-dependent (the dotnet10 managed runtime), JIT only",
            ["-r", "linux-x64", "--self-contained", "false"]),
        new("r2r", "self-contained ReadyToRun, one image per assembly",
            ["-r", "linux-x64", "--self-contained", "true", "-p:PublishReadyToRun=true"]),
        new("r2r-trimmed", "self-contained, trimmed, composite ReadyToRun for x86-64-v3 (shipped before NativeAOT)",
            CompositeReadyToRunArguments),
        new("r2r-trimmed-separate", "self-contained ReadyToRun + trimming, one image per assembly (shipped before the composite image)",
            ["-r", "linux-x64", "--self-contained", "true", "-p:PublishReadyToRun=true", "-p:PublishTrimmed=true"]),
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
