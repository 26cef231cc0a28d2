using StreamPredict.Cli.Infrastructure;

namespace StreamPredict.Cli.Demo;

/// <summary>The serving modes the demo can show; `--modes` picks a set of them.</summary>
[Flags]
internal enum DemoModes
{
    None = 0,
    Streaming = 1,
    Batch = 2,
    Web = 4,
    All = Streaming | Batch | Web,
}

/// <summary>Reads and prints `--modes`: comma-separated names, in the order the demo runs them.</summary>
internal static class DemoModeNames
{
    public const string Default = "streaming,batch,web";

    private static readonly (string Name, DemoModes Mode)[] Known = [("streaming", DemoModes.Streaming), ("batch", DemoModes.Batch), ("web", DemoModes.Web)];

    public static DemoModes Parse(string? text) =>
        TryParse(text, out var modes, out var error) ? modes : throw new CliException(error!);

    /// <summary>The modes, or an error that names what is wrong and what is accepted.</summary>
    public static bool TryParse(string? text, out DemoModes modes, out string? error)
    {
        modes = DemoModes.None;
        error = null;
        foreach (var part in (text ?? "").Split(','))
        {
            var name = part.Trim();
            var match = Array.FindIndex(Known, known => string.Equals(known.Name, name, StringComparison.OrdinalIgnoreCase));
            if (match < 0)
            {
                error = name.Length == 0
                    ? $"--modes '{text}' has an empty name; give one or more of streaming, batch, web, separated by commas."
                    : $"--modes: '{name}' is not a mode; give one or more of streaming, batch, web, separated by commas.";
                modes = DemoModes.None;
                return false;
            }

            modes |= Known[match].Mode;
        }

        return true;
    }

    /// <summary>The chosen modes' names in run order, e.g. ["streaming", "web"].</summary>
    public static IReadOnlyList<string> Names(DemoModes modes) => [.. Known.Where(known => modes.HasFlag(known.Mode)).Select(known => known.Name)];
}
