using System.Text;
using System.Text.RegularExpressions;

namespace StreamPredict.TestKit.Docs;

/// <summary>
/// The relative links of a Markdown file, and whether each resolves: the file or folder exists, and a <c>#anchor</c>
/// names a heading of the target (GitHub's slugs). Links to web addresses are not followed.
/// </summary>
public static partial class MarkdownLinks
{
    public sealed record Link(string File, int Line, string Target)
    {
        public override string ToString() => $"{File} line {Line}: ({Target})";
    }

    /// <summary>The links outside fenced code, with their 1-based lines; web and mail addresses are left out.</summary>
    public static IReadOnlyList<Link> Read(string markdown, string file)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var links = new List<Link>();
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var inFence = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            if (inFence)
            {
                continue;
            }

            foreach (Match match in InlineLink().Matches(StripCodeSpans(lines[i])))
            {
                var target = match.Groups[1].Value;
                if (!ExternalTarget().IsMatch(target))
                {
                    links.Add(new Link(file, i + 1, target));
                }
            }
        }

        return links;
    }

    /// <summary>Null when the link resolves; otherwise what is wrong with it.</summary>
    public static string? Check(Link link, string markdownPath)
    {
        ArgumentNullException.ThrowIfNull(link);
        var hash = link.Target.IndexOf('#', StringComparison.Ordinal);
        var path = hash < 0 ? link.Target : link.Target[..hash];
        var anchor = hash < 0 ? null : link.Target[(hash + 1)..];
        var target = path.Length == 0 ? markdownPath : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(markdownPath)!, Uri.UnescapeDataString(path)));
        if (!File.Exists(target) && !Directory.Exists(target))
        {
            return $"{link}: {path} does not exist";
        }

        if (anchor is null || !target.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var slugs = HeadingSlugs(File.ReadAllText(target));
        return slugs.Contains(anchor) ? null : $"{link}: {Path.GetFileName(target)} has no heading #{anchor}";
    }

    /// <summary>The anchors GitHub gives the headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered.</summary>
    public static IReadOnlySet<string> HeadingSlugs(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        var inFence = false;
        foreach (var line in markdown.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }
            else if (!inFence && Heading().Match(line) is { Success: true } heading)
            {
                var slug = Slug(heading.Groups[1].Value);
                var unique = slug;
                for (var n = 1; !slugs.Add(unique); n++)
                {
                    unique = $"{slug}-{n}";
                }
            }
        }

        return slugs;
    }

    public static string Slug(string heading)
    {
        ArgumentNullException.ThrowIfNull(heading);
        var slug = new StringBuilder(heading.Length);
        foreach (var c in heading.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }

        return slug.ToString();
    }

    // `[--trees 1000](x)` inside a code span is not a link.
    private static string StripCodeSpans(string line) => CodeSpan().Replace(line, "");

    [GeneratedRegex(@"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex ExternalTarget();

    [GeneratedRegex(@"^#{1,6}\s+(.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex CodeSpan();
}
