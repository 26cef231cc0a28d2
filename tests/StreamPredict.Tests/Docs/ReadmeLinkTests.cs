using StreamPredict.TestKit.Docs;

namespace StreamPredict.Tests.Docs;

public sealed class ReadmeLinkTests
{
    private static readonly string[] SkippedFolders = ["bin", "obj", "node_modules", ".git", ".state", "artifacts"];

    [Fact]
    public void Every_relative_link_in_every_README_resolves_to_a_file_and_heading()
    {
        var readmes = Directory.EnumerateFiles(RepositoryPaths.Root, "README.md", SearchOption.AllDirectories)
            .Where(path => !Path.GetRelativePath(RepositoryPaths.Root, path).Split(Path.DirectorySeparatorChar).Any(SkippedFolders.Contains))
            .ToList();

        var links = readmes.SelectMany(path => MarkdownLinks.Read(File.ReadAllText(path), Path.GetRelativePath(RepositoryPaths.Root, path))
            .Select(link => (link, path))).ToList();
        var broken = links.Select(l => MarkdownLinks.Check(l.link, l.path)).OfType<string>().ToList();

        Assert.True(readmes.Count >= 14, $"only {readmes.Count} READMEs found");
        Assert.True(links.Count >= 50, $"only {links.Count} relative links found");
        Assert.True(broken.Count == 0, string.Join('\n', broken));
    }

    [Fact]
    public void Every_project_has_a_README_and_the_root_links_to_it()
    {
        var root = File.ReadAllText(RepositoryPaths.File("README.md"));
        var projects = Directory.GetDirectories(RepositoryPaths.File("src"), "StreamPredict.*")
            .Select(dir => Path.GetRelativePath(RepositoryPaths.Root, dir).Replace('\\', '/'))
            .Append("tests/StreamPredict.TestKit");

        foreach (var project in projects)
        {
            Assert.True(File.Exists(RepositoryPaths.File(project, "README.md")), $"{project} has no README.md");
            Assert.Contains($"]({project}/README.md)", root, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Links_are_read_outside_code_only_and_web_addresses_are_left_out()
    {
        var markdown = "see [a](a.md) and [b](b/#x), `[c](c.md)` [web](https://example.com) [mail](mailto:x@y)\n```\n[d](d.md)\n```\n[e](#top)";

        var links = MarkdownLinks.Read(markdown, "x.md");

        Assert.Equal(["a.md", "b/#x", "#top"], links.Select(l => l.Target));
        Assert.Equal([1, 1, 5], links.Select(l => l.Line));
    }

    [Theory]
    [InlineData("`start-lambda`: the RIE and `sam local start-lambda`, without Docker", "start-lambda-the-rie-and-sam-local-start-lambda-without-docker")]
    [InlineData("Artifact format `streampredict.model/v1`", "artifact-format-streampredictmodelv1")]
    [InlineData("What we wrote instead of AWS's packages, and why", "what-we-wrote-instead-of-awss-packages-and-why")]
    [InlineData("Train in C#", "train-in-c")]
    public void Heading_anchors_follow_GitHub(string heading, string slug)
        => Assert.Equal(slug, MarkdownLinks.Slug(heading));

    [Fact]
    public void A_missing_file_or_heading_is_reported_with_the_link()
    {
        var folder = Directory.CreateTempSubdirectory("links-");
        try
        {
            var readme = Path.Combine(folder.FullName, "README.md");
            File.WriteAllText(readme, "# Top\n## Top\n```\n# not a heading\n```\n");
            var slugs = MarkdownLinks.HeadingSlugs(File.ReadAllText(readme));

            Assert.Equal(["top", "top-1"], slugs.Order());
            Assert.Null(MarkdownLinks.Check(new MarkdownLinks.Link("README.md", 1, "README.md#top-1"), readme));
            Assert.Null(MarkdownLinks.Check(new MarkdownLinks.Link("README.md", 1, "#top"), readme));
            Assert.Contains("gone.md does not exist", MarkdownLinks.Check(new MarkdownLinks.Link("README.md", 3, "gone.md"), readme), StringComparison.Ordinal);
            Assert.Contains("has no heading #not-a-heading", MarkdownLinks.Check(new MarkdownLinks.Link("README.md", 3, "#not-a-heading"), readme), StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
