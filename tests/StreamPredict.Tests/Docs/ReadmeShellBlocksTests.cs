using StreamPredict.TestKit.Docs;

namespace StreamPredict.Tests.Docs;

public sealed class ReadmeShellBlocksTests
{
    [Fact]
    public void A_marked_bash_block_is_read_with_the_line_of_its_first_command()
    {
        var markdown = "# Title\n\ntext\n<!-- runnable -->\n```bash\necho one\necho two\n```\nafter\n";

        var block = Assert.Single(ReadmeShellBlocks.Read(markdown));

        Assert.Equal(6, block.Line);
        Assert.Equal("echo one\necho two", block.Script);
        Assert.Equal("README.md line 6", block.ToString());
    }

    [Fact]
    public void Unmarked_blocks_are_left_out_and_marked_ones_kept_in_order()
    {
        var markdown = string.Join('\n',
            "```bash", "not me", "```",
            "<!-- runnable -->", "```bash", "first", "```",
            "```sh", "nor me", "```",
            "  <!-- runnable -->  ", "```sh", "second", "```");

        var blocks = ReadmeShellBlocks.Read(markdown);

        Assert.Equal(["first", "second"], blocks.Select(b => b.Script));
        Assert.Equal([6, 13], blocks.Select(b => b.Line));
    }

    [Fact]
    public void Windows_line_endings_read_the_same()
    {
        var block = Assert.Single(ReadmeShellBlocks.Read("<!-- runnable -->\r\n```bash\r\necho hi\r\n```\r\n"));

        Assert.Equal("echo hi", block.Script);
    }

    [Theory]
    [InlineData("<!-- runnable -->\n\n```bash\necho\n```", "line 1", "''")]
    [InlineData("<!-- runnable -->\n```csharp\nvar x = 1;\n```", "line 1", "```csharp")]
    [InlineData("text\n<!-- runnable -->", "line 2", "the end of the file")]
    public void A_marker_not_right_above_a_shell_fence_is_an_error_naming_the_line(string markdown, string line, string found)
    {
        var error = Assert.Throws<InvalidDataException>(() => ReadmeShellBlocks.Read(markdown));

        Assert.Contains(line, error.Message, StringComparison.Ordinal);
        Assert.Contains(found, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_block_never_closed_is_an_error()
    {
        var error = Assert.Throws<InvalidDataException>(() => ReadmeShellBlocks.Read("<!-- runnable -->\n```bash\necho\n"));

        Assert.Contains("line 2: the runnable block is never closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_block_is_an_error()
    {
        var error = Assert.Throws<InvalidDataException>(() => ReadmeShellBlocks.Read("<!-- runnable -->\n```bash\n\n```\n"));

        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_start_line_names_the_buckets_and_streams_the_emulators_create()
    {
        var markdown = "```bash\neval \"$(S3_BUCKETS=models,other INITIALIZE_STREAMS=ride_events:2,ride_predictions:1 infra/emulators/start.sh)\"\n```\n"
            + "S3_BUCKETS=ignored is on a line that does not start the emulators\n";

        var resources = ReadmeShellBlocks.ReadEmulatorResources(markdown);

        Assert.Equal(["models", "other"], resources.Buckets);
        Assert.Equal([new("ride_events", 2), new("ride_predictions", 1)], resources.Streams);
    }

    [Fact]
    public void A_stream_without_its_shard_count_is_an_error()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            ReadmeShellBlocks.ReadEmulatorResources("INITIALIZE_STREAMS=ride_events infra/emulators/start.sh"));

        Assert.Contains("'ride_events' is not NAME:SHARDS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_root_README_marks_at_least_three_blocks_and_starts_the_emulators_they_need()
    {
        var readme = File.ReadAllText(RepositoryPaths.File("README.md"));

        var blocks = ReadmeShellBlocks.Read(readme);
        var resources = ReadmeShellBlocks.ReadEmulatorResources(readme);

        Assert.True(blocks.Count >= 3, $"{blocks.Count} runnable blocks");
        Assert.DoesNotContain(blocks, b => b.Script.Contains(" demo", StringComparison.Ordinal));
        Assert.NotEmpty(resources.Buckets);
        Assert.NotEmpty(resources.Streams);
    }
}
