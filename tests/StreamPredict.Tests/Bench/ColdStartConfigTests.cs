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
        Assert.Contains("aot, framework, r2r, r2r-trimmed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Self_contained_configurations_publish_ReadyToRun_or_NativeAOT_for_linux_x64_and_only_trimmed_ones_trim()
    {
        foreach (var config in ColdStartConfig.All)
        {
            Assert.Contains("linux-x64", config.PublishArguments);
            var aot = config.PublishArguments.Contains("-p:PublishAot=true");
            Assert.Equal(config.Name == "aot", aot);
            if (!aot)
            {
                var selfContained = config.PublishArguments.SkipWhile(a => a != "--self-contained").Skip(1).First() == "true";
                Assert.Equal(selfContained, config.PublishArguments.Contains("-p:PublishReadyToRun=true"));
                Assert.Equal(config.Name.Contains("trimmed", StringComparison.Ordinal), config.PublishArguments.Contains("-p:PublishTrimmed=true"));
            }
        }
    }

    [Fact]
    public void The_aot_configuration_publishes_exactly_what_the_Makefile_ships()
    {
        var makefile = File.ReadAllLines(Path.Combine(Deploy.SamTemplate.RepositoryRoot, "src", "StreamPredict.Function", "Makefile"));
        var publish = Assert.Single(makefile, line => line.TrimStart().StartsWith("dotnet publish ", StringComparison.Ordinal));
        string[] notPublishOptions = ["dotnet", "publish", "\"$(PROJECT_DIR)StreamPredict.Function.csproj\"", "-c", "Release", "-o", "\"$(ARTIFACTS_DIR)\""];

        var arguments = publish.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(a => !notPublishOptions.Contains(a));

        Assert.Equal(ColdStartConfig.ShippedPublishArguments, arguments);
        Assert.Equal(ColdStartConfig.ShippedPublishArguments, ColdStartConfig.Parse(["aot"]).Single().PublishArguments);
        Assert.Contains("-p:DebugType=none", ColdStartConfig.ShippedPublishArguments);
        Assert.Contains("-p:CopyOutputSymbolsToPublishDirectory=false", ColdStartConfig.ShippedPublishArguments);
    }

    [Fact]
    public void Function_environment_assignments_split_at_the_first_equals_sign()
    {
        var parsed = ColdStartCommand.ParseEnvironment(["DOTNET_TieredPGO=0", "EMPTY=", "A=b=c"]);
        Assert.Equal([("DOTNET_TieredPGO", "0"), ("EMPTY", ""), ("A", "b=c")], parsed);
    }

    [Theory]
    [InlineData("DOTNET_TieredPGO")]
    [InlineData("=0")]
    public void A_function_environment_value_without_a_name_or_equals_sign_is_refused(string assignment)
    {
        var error = Assert.Throws<CliException>(() => ColdStartCommand.ParseEnvironment([assignment]));
        Assert.Contains($"'{assignment}' is not NAME=VALUE", error.Message, StringComparison.Ordinal);
    }
}
