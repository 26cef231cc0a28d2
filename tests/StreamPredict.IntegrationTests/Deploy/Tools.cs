using System.Diagnostics;

namespace StreamPredict.IntegrationTests.Deploy;

internal sealed record ToolResult(int ExitCode, string StdOut, string StdErr)
{
    public string Output => $"exit code {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
}

/// <summary>Runs the command-line tools the deploy checks use (node, bash, make, dotnet).</summary>
internal static class Tools
{
    public static bool IsCi => Ci.IsOn;

    public static string RepositoryRoot { get; } = RepositoryPaths.Root;

    public static bool IsOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));

    /// <summary>`dotnet test` exports MSBuild settings for its own build; a nested build must not inherit them.</summary>
    public static void WithoutOuterBuildSettings(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }
    }

    public static async Task<ToolResult> RunAsync(string tool, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        Assert.True(IsOnPath(tool), $"'{tool}' is not on PATH, and CI=true requires it");
        var start = new ProcessStartInfo(tool)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        WithoutOuterBuildSettings(start);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}");
        }

        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }
}
