using System.Runtime.Versioning;

namespace StreamPredict.IntegrationTests.Deploy;

/// <summary>The Makefile that `sam build` calls really produces what Lambda's provided.al2023 runtime starts.</summary>
public class SamBuildTests
{
    private static readonly string[] RootFiles = ["Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig"];

    /// <summary>provided.al2023's glibc: a NativeAOT executable linked against newer symbol versions would not start there.</summary>
    private static readonly Version Al2023Glibc = new(2, 34);

    [ToolFact("make", "dotnet", "objdump")]
    [UnsupportedOSPlatform("windows")] // sam build's makefile method and the linux-x64 package are Unix affairs
    public async Task Makefile_publishes_a_NativeAOT_bootstrap_without_debug_symbols_that_runs_on_provided_al2023()
    {
        // A private copy of the sources, so this Release publish never races the solution's own build outputs.
        var work = Directory.CreateTempSubdirectory("streampredict-sam-build-");
        try
        {
            CopySources(work.FullName);
            var artifacts = Path.Combine(work.FullName, "artifacts");
            // As SAM does: make runs in a scratch directory, given the Makefile's path and ARTIFACTS_DIR.
            var scratch = work.CreateSubdirectory("scratch").FullName;
            var makefile = Path.Combine(work.FullName, "src", "StreamPredict.Function", "Makefile");

            var result = await Tools.RunAsync(
                "make", ["--makefile", makefile, "build-StreamPredictFunction", $"ARTIFACTS_DIR={artifacts}"], scratch, TimeSpan.FromMinutes(15));

            Assert.True(result.ExitCode == 0, result.Output);
            var bootstrap = Path.Combine(artifacts, "bootstrap");
            Assert.True(File.Exists(bootstrap), $"no bootstrap in {artifacts}:\n{result.Output}");
            Assert.True(File.GetUnixFileMode(bootstrap).HasFlag(UnixFileMode.UserExecute | UnixFileMode.OtherExecute), "bootstrap is not executable");
            Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(bootstrap)[..4]);
            // NativeAOT: the one native file is the whole function; no IL, no runtime beside it, no debug symbols.
            Assert.Equal(["bootstrap"], Directory.EnumerateFileSystemEntries(artifacts).Select(Path.GetFileName));

            var symbols = await Tools.RunAsync("objdump", ["--dynamic-syms", "--section-headers", bootstrap], artifacts, TimeSpan.FromMinutes(1));
            Assert.True(symbols.ExitCode == 0, symbols.Output);
            Assert.DoesNotContain(".debug_info", symbols.StdOut, StringComparison.Ordinal);
            var glibc = System.Text.RegularExpressions.Regex.Matches(symbols.StdOut, @"GLIBC_(\d+\.\d+)").Select(m => Version.Parse(m.Groups[1].Value)).Max();
            Assert.True(glibc <= Al2023Glibc, $"bootstrap needs glibc {glibc}; provided.al2023 has {Al2023Glibc}");

            // It starts: without the Runtime API variable it says so and exits 1, as it would outside Lambda.
            var run = await Tools.RunAsync(bootstrap, [], artifacts, TimeSpan.FromMinutes(1));
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("AWS_LAMBDA_RUNTIME_API", run.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static void CopySources(string destination)
    {
        foreach (var file in RootFiles)
        {
            File.Copy(Path.Combine(Tools.RepositoryRoot, file), Path.Combine(destination, file));
        }

        var src = Path.Combine(Tools.RepositoryRoot, "src");
        foreach (var file in Directory.EnumerateFiles(src, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(src, file);
            var parts = relative.Split(Path.DirectorySeparatorChar);
            if (parts.Contains("bin") || parts.Contains("obj"))
            {
                continue;
            }

            var target = Path.Combine(destination, "src", relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
