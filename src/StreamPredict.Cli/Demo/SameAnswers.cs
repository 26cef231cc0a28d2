using System.Globalization;
using System.Text;

namespace StreamPredict.Cli.Demo;

/// <summary>
/// The same rides' predictions from each mode that ran, compared as exact doubles: every mode computes with the same
/// CompiledModel, and none rounds what it outputs (JSON numbers are the shortest round-trip text, parquet stores the
/// double), so any difference is a real one.
/// </summary>
internal sealed class SameAnswers(IReadOnlyList<string> modes, IReadOnlyList<string> rideIds)
{
    private readonly Dictionary<(string Mode, string RideId), double> _answers = [];

    public IReadOnlyList<string> Modes { get; } = modes;

    public IReadOnlyList<string> RideIds { get; } = rideIds;

    public void Add(string mode, string rideId, double duration) => _answers[(mode, rideId)] = duration;

    /// <summary>Rides where a mode gave no answer or a different one (or that there was no ride to compare).</summary>
    public IReadOnlyList<string> Disagreements() =>
        RideIds.Count == 0 ? ["no ride to compare (the stream returned no prediction)"] : [.. RideIds.Where(ride => !Agree(ride)).Select(Describe)];

    /// <summary>At least one ride, and every mode gave every ride the same double.</summary>
    public bool Identical => RideIds.Count > 0 && RideIds.All(Agree);

    /// <summary>A table: one row per ride, one column per mode, values printed so that equal text means equal doubles.</summary>
    public string Table()
    {
        var width = RideIds.Select(ride => ride.Length).Append("ride".Length).Max();
        var text = new StringBuilder();
        text.Append("ride".PadRight(width));
        foreach (var mode in Modes)
        {
            text.Append("  ").Append(mode.PadRight(20));
        }

        text.AppendLine("  same");
        foreach (var ride in RideIds)
        {
            text.Append(ride.PadRight(width));
            foreach (var mode in Modes)
            {
                text.Append("  ").Append((_answers.TryGetValue((mode, ride), out var value) ? Text(value) : "(none)").PadRight(20));
            }

            text.AppendLine(Agree(ride) ? "  yes" : "  NO");
        }

        return text.ToString().TrimEnd();
    }

    private bool Agree(string ride)
    {
        double? first = null;
        foreach (var mode in Modes)
        {
            if (!_answers.TryGetValue((mode, ride), out var value) || (first is { } expected && value != expected))
            {
                return false;
            }

            first ??= value;
        }

        return true;
    }

    private string Describe(string ride) => ride + ": " + string.Join(", ",
        Modes.Select(mode => $"{mode} {(_answers.TryGetValue((mode, ride), out var value) ? Text(value) : "no answer")}"));

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
