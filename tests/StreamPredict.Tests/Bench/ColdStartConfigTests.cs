using StreamPredict.Cli.Bench;
using StreamPredict.Cli.Infrastructure;

namespace StreamPredict.Tests.Bench;

public class ColdStartConfigTests
{
    [Fact]
    public void No_config_means_every_configuration()
    {
        Assert.Equal(ColdStartConfig.All, ColdStartConfig.Parse(null));
        Assert.Equal(ColdStartConfig.All, ColdStartConfig.Parse([]));
    }

    [Fact]
    public void Repeated_and_comma_separated_names_keep_their_order_without_duplicates()
    {
        var chosen = ColdStartConfig.Parse(["r2r-trimmed,framework", "R2R", "framework"]);
        Assert.Equal(["r2r-trimmed", "framework", "r2r"], chosen.Select(c => c.Name));
    }

    [Fact]
    public void An_unknown_name_is_refused_naming_it_and_the_valid_ones()
    {
        var error = Assert.Throws<CliException>(() => ColdStartConfig.Parse(["r2r", "native-aot"]));
        Assert.Contains("'native-aot'", error.Message, StringComparison.Ordinal);
        Assert.Contains("framework, r2r, r2r-trimmed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Self_contained_configurations_publish_ReadyToRun_for_linux_x64_and_only_trimmed_ones_trim()
    {
        foreach (var config in ColdStartConfig.All)
        {
            Assert.Contains("linux-x64", config.PublishArguments);
            var selfContained = config.PublishArguments.SkipWhile(a => a != "--self-contained").Skip(1).First() == "true";
            Assert.Equal(selfContained, config.PublishArguments.Contains("-p:PublishReadyToRun=true"));
            Assert.Equal(config.Name.Contains("trimmed", StringComparison.Ordinal) || config.Name == "r2r-composite",
                config.PublishArguments.Contains("-p:PublishTrimmed=true"));
        }
    }
}
