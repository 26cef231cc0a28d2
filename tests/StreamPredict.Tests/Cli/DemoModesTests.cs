using StreamPredict.Cli.Demo;
using StreamPredict.Cli.Infrastructure;
using static StreamPredict.Tests.Cli.CliRun;

namespace StreamPredict.Tests.Cli;

public sealed class DemoModesTests
{
    [Theory]
    [InlineData("streaming,batch,web", "streaming,batch,web")]
    [InlineData("web", "web")]
    [InlineData("web,batch", "batch,web")]
    [InlineData(" Web , STREAMING ", "streaming,web")]
    [InlineData("batch,batch", "batch")]
    public void Modes_are_read_case_and_order_free(string text, string expected)
    {
        Assert.True(DemoModeNames.TryParse(text, out var modes, out var error), error);
        Assert.Equal(expected, string.Join(",", DemoModeNames.Names(modes)));
    }

    [Fact]
    public void The_default_is_all_three_modes_in_run_order()
    {
        Assert.Equal(DemoModes.All, DemoModeNames.Parse(DemoModeNames.Default));
        Assert.Equal(["streaming", "batch", "web"], DemoModeNames.Names(DemoModes.Web | DemoModes.Streaming | DemoModes.Batch));
        Assert.Equal(["batch", "web"], DemoModeNames.Names(DemoModes.Web | DemoModes.Batch));
    }

    [Theory]
    [InlineData("stream", "'stream' is not a mode")]
    [InlineData("batch,lambda", "'lambda' is not a mode")]
    [InlineData("", "has an empty name")]
    [InlineData("web,", "has an empty name")]
    public void Unknown_or_empty_modes_are_refused_with_the_choices(string text, string expected)
    {
        Assert.False(DemoModeNames.TryParse(text, out var modes, out var error));
        Assert.Equal(DemoModes.None, modes);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("streaming, batch, web", error, StringComparison.Ordinal);
        Assert.Throws<CliException>(() => DemoModeNames.Parse(text));
    }

    [Fact]
    public async Task The_demo_refuses_an_unknown_mode_before_doing_anything()
    {
        var (exit, stdout, stderr) = await Run("demo", "--modes", "streaming,fax");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("'fax' is not a mode", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("training", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }
}
