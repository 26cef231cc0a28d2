using StreamPredict.LocalLambda.Runtime;

namespace StreamPredict.Tests.Cli;

/// <summary>What `invoke`, `run` and the benches hand the function: the shell's variables plus Lambda's own.</summary>
public sealed class FunctionHostEnvironmentTests
{
    [Fact]
    public void A_relative_MODEL_LOCATION_is_taken_from_the_shell_s_folder_not_the_function_s()
    {
        var variables = FunctionHost.LambdaEnvironment(
            new Dictionary<string, string> { ["MODEL_LOCATION"] = "tests/model.json", ["TEST_RUN"] = "True" }, "127.0.0.1:9001", 512, "f");

        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "tests", "model.json"), variables["MODEL_LOCATION"]);
        Assert.Equal("True", variables["TEST_RUN"]);
        Assert.Equal("127.0.0.1:9001", variables["AWS_LAMBDA_RUNTIME_API"]);
    }

    [Fact]
    public void An_absolute_MODEL_LOCATION_and_its_absence_are_left_alone()
    {
        var absolute = Path.Combine(Path.GetTempPath(), "model.json");

        Assert.Equal(absolute, FunctionHost.LambdaEnvironment(new Dictionary<string, string> { ["MODEL_LOCATION"] = absolute }, "h:1", 512, "f")["MODEL_LOCATION"]);
        Assert.False(FunctionHost.LambdaEnvironment(new Dictionary<string, string>(), "h:1", 512, "f").ContainsKey("MODEL_LOCATION"));
    }
}
