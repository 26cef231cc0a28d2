using System.Diagnostics;
using System.IO.Compression;
using StreamPredict.Cli.Infrastructure;

namespace StreamPredict.Cli.Bench;

/// <summary>`dotnet publish` of the function into a cache folder per configuration, and the size of its deployment zip.</summary>
internal static class FunctionPublisher
{
    public sealed record Published(string Directory, string Executable, int TrimWarnings, long ZipBytes, long UnpackedBytes);

    public static string DefaultCache() => Path.Combine(
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache ? cache : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
        "streampredict", "bench");

    /// <param name="publish">False: reuse what an earlier run published (fails if there is none).</param>
    public static async Task<Published> PublishAsync(string repositoryRoot, ColdStartConfig config, string cache, bool publish, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(log);
        var directory = Path.Combine(cache, config.Name);
        var executable = Path.Combine(directory, "bootstrap");
        var trimWarnings = 0;
        if (publish)
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            log($"publishing {config.Name}: {config.Description}...");
            var startInfo = new ProcessStartInfo("dotnet") { WorkingDirectory = repositoryRoot };
            foreach (var argument in (string[])["publish", Path.Combine(repositoryRoot, "src", "StreamPredict.Function", "StreamPredict.Function.csproj"),
                "-c", "Release", "-o", directory, "-nologo", .. config.PublishArguments])
            {
                startInfo.ArgumentList.Add(argument);
            }

            var exited = await ChildProcess.RunAsync(startInfo, "Could not run dotnet publish.", cancellationToken).ConfigureAwait(false);
            var text = exited.Out + exited.Error;
            if (exited.ExitCode != 0)
            {
                throw new CliException($"dotnet publish ({config.Name}) failed with exit code {exited.ExitCode}:{Environment.NewLine}{text.Trim()}");
            }

            // IL2xxx/IL3xxx are the trimming and AOT analysis warnings; the build treats warnings as errors, so this is 0 unless that changes.
            trimWarnings = text.Split('\n').Count(line => line.Contains("warning IL2", StringComparison.Ordinal) || line.Contains("warning IL3", StringComparison.Ordinal));
        }

        if (!File.Exists(executable))
        {
            throw new CliException($"No published function at '{executable}'; run without --no-publish first.");
        }

        return Measure(directory, executable, trimWarnings);
    }

    /// <summary>A bootstrap published elsewhere (e.g. by another clone), taken as it is: its folder is what would be zipped.</summary>
    public static Published Existing(string executable)
    {
        if (!File.Exists(executable))
        {
            throw new CliException($"--executable: no published function at '{executable}'.");
        }

        return Measure(Path.GetDirectoryName(executable)!, executable, 0);
    }

    /// <summary>The published folder's sizes: zipped as Lambda is given it, and unpacked.</summary>
    private static Published Measure(string directory, string executable, int trimWarnings) =>
        new(directory, executable, trimWarnings, ZipSize(directory), Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length));

    /// <summary>What Lambda is given: the publish folder zipped (Optimal compression, as `sam build` + package does).</summary>
    private static long ZipSize(string directory)
    {
        var zip = Path.Combine(Path.GetTempPath(), $"streampredict-bench-{Guid.NewGuid():N}.zip");
        try
        {
            ZipFile.CreateFromDirectory(directory, zip, CompressionLevel.Optimal, includeBaseDirectory: false);
            return new FileInfo(zip).Length;
        }
        finally
        {
            File.Delete(zip);
        }
    }
}
