using System.Diagnostics;
using System.Text.Json;

namespace StreamPredict.IntegrationTests.Cli;

/// <summary>The built tool itself, as a user runs it (a separate process, real stdout/stderr).</summary>
public sealed class CliExecutableTests
{
    private static async Task<(int Exit, string Out, string Error)> RunToolAsync(params string[] args)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "StreamPredict.Cli.dll"));
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task The_executable_invokes_the_function_on_the_course_event_and_ends_stdout_with_json()
    {
        var forest = RepositoryPaths.File("tests", "StreamPredict.Tests", "TestData", "course-forest.model.json");

        var (exit, stdout, stderr) = await RunToolAsync("invoke", "-e", RepositoryPaths.File("events", "course-ride.json"), "--json",
            "--env", "TEST_RUN=True", "--env", $"MODEL_LOCATION={forest}");

        Assert.True(exit == 0, stderr);
        using var summary = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
        Assert.True(summary.RootElement.GetProperty("ok").GetBoolean());
        Assert.Contains("21.29", summary.RootElement.GetProperty("response").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_executable_reports_a_bad_ride_on_stderr_with_exit_code_1()
    {
        var forest = RepositoryPaths.File("tests", "StreamPredict.Tests", "TestData", "course-forest.model.json");

        var (exit, stdout, stderr) = await RunToolAsync("predict", "--model", forest, "--ride", """{"PULocationID":130,"DOLocationID":999,"trip_distance":1}""");

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Contains("DOLocationID 999", stderr, StringComparison.Ordinal);
    }
}
