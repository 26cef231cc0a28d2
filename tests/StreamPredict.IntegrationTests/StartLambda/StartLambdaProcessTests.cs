using System.Net;
using System.Text.Json;
using static StreamPredict.IntegrationTests.StartLambda.InvokeHttp;

namespace StreamPredict.IntegrationTests.StartLambda;

/// <summary>The built tool: it serves until Ctrl-C (SIGINT) or SIGTERM, then stops the function and exits 0.</summary>
public sealed class StartLambdaProcessTests
{
    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task The_tool_serves_until_a_stop_signal_then_stops_the_function_reports_and_exits_0(string signal)
    {
        await using var tool = await StartLambdaProcess.StartAsync(new Dictionary<string, string?>
        {
            ["TEST_RUN"] = "True",
            ["MODEL_LOCATION"] = CourseForest,
        }, "--port", "0", "--json");

        var answer = await PostAsync(tool.RieUrl, await File.ReadAllBytesAsync(CourseEvent));
        var function = await tool.FunctionPidAsync();
        await tool.SignalAsync(signal);
        var exit = await tool.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.True(exit == 0, $"exit {exit}\n{tool}");
        Assert.Contains("start-lambda: stopped.", tool.Error);
        Assert.StartsWith("http://127.0.0.1:", tool.BaseUrl.ToString(), StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(tool.Out.Last());
        Assert.Equal(1, summary.RootElement.GetProperty("invocations").GetInt32());
        Assert.Equal(1, summary.RootElement.GetProperty("responses").GetInt32());
        Assert.Equal(1, summary.RootElement.GetProperty("function_starts").GetInt32());
        Assert.False(IsRunning(function), $"the function process {function} outlived start-lambda");
    }

    [Fact]
    public async Task A_bad_function_timeout_is_refused_before_listening_naming_the_variable()
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(() => StartLambdaProcess.StartAsync(
            new Dictionary<string, string?> { ["AWS_LAMBDA_FUNCTION_TIMEOUT"] = "3s" }, "--port", "0"));

        Assert.Contains("AWS_LAMBDA_FUNCTION_TIMEOUT='3s'", error.Message, StringComparison.Ordinal);
        Assert.Contains("exited: True", error.Message, StringComparison.Ordinal);
    }
}
