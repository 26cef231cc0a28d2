using System.Globalization;
using System.Text.RegularExpressions;

namespace StreamPredict.TestKit.Docs;

/// <summary>
/// The shell blocks of a README that are marked runnable: a line <c>&lt;!-- runnable --&gt;</c> right above a
/// <c>```bash</c> (or <c>```sh</c>) fence. They are what a new user copies first, so a test runs each one as written.
/// </summary>
public static partial class ReadmeShellBlocks
{
    public const string Marker = "<!-- runnable -->";

    /// <summary>One runnable block: <paramref name="Line"/> is the 1-based line of its first script line.</summary>
    public sealed record Block(string File, int Line, string Script)
    {
        public override string ToString() => $"{File} line {Line}";
    }

    /// <summary>Every runnable block, in order. A marker that is not right above a shell fence, or a block that is never
    /// closed, is an error naming the line: a mistyped marker must not silently drop a block from the test.</summary>
    public static IReadOnlyList<Block> Read(string markdown, string file = "README.md")
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var blocks = new List<Block>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != Marker)
            {
                continue;
            }

            if (i + 1 >= lines.Length || !ShellFence().IsMatch(lines[i + 1]))
            {
                var next = i + 1 < lines.Length ? lines[i + 1].Trim() : "the end of the file";
                throw new InvalidDataException($"{file} line {i + 1}: {Marker} must stand right above a ```bash fence, not above '{next}'");
            }

            var end = Array.FindIndex(lines, i + 2, line => line.TrimEnd() == "```");
            if (end < 0)
            {
                throw new InvalidDataException($"{file} line {i + 2}: the runnable block is never closed");
            }

            var script = string.Join('\n', lines[(i + 2)..end]);
            if (string.IsNullOrWhiteSpace(script))
            {
                throw new InvalidDataException($"{file} line {i + 2}: the runnable block is empty");
            }

            blocks.Add(new Block(file, i + 3, script));
            i = end;
        }

        return blocks;
    }

    /// <summary>What the README's <c>infra/emulators/start.sh</c> lines ask the emulators to create at start-up.</summary>
    public sealed record EmulatorResources(IReadOnlyList<string> Buckets, IReadOnlyList<KeyValuePair<string, int>> Streams);

    /// <summary>
    /// The buckets (<c>S3_BUCKETS=a,b</c>) and streams (<c>INITIALIZE_STREAMS=name:shards,…</c>) on the lines that run
    /// <c>infra/emulators/start.sh</c>. The doc test creates exactly these in its own emulators, so the runnable blocks
    /// meet what a user who ran that line has.
    /// </summary>
    public static EmulatorResources ReadEmulatorResources(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var buckets = new List<string>();
        var streams = new List<KeyValuePair<string, int>>();
        foreach (var line in markdown.ReplaceLineEndings("\n").Split('\n').Where(l => l.Contains("infra/emulators/start.sh", StringComparison.Ordinal)))
        {
            if (BucketsSetting().Match(line) is { Success: true } bucketMatch)
            {
                buckets.AddRange(bucketMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries));
            }

            if (StreamsSetting().Match(line) is { Success: true } streamMatch)
            {
                foreach (var entry in streamMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    var parts = entry.Split(':');
                    if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var shards) || shards < 1)
                    {
                        throw new InvalidDataException($"INITIALIZE_STREAMS entry '{entry}' is not NAME:SHARDS (on: {line.Trim()})");
                    }

                    streams.Add(new KeyValuePair<string, int>(parts[0], shards));
                }
            }
        }

        return new EmulatorResources(buckets, streams);
    }

    [GeneratedRegex(@"^```(bash|sh)\s*$")]
    private static partial Regex ShellFence();

    [GeneratedRegex(@"\bS3_BUCKETS=([A-Za-z0-9.,-]+)")]
    private static partial Regex BucketsSetting();

    [GeneratedRegex(@"\bINITIALIZE_STREAMS=([A-Za-z0-9_.:,-]+)")]
    private static partial Regex StreamsSetting();
}
