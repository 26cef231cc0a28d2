using System.Runtime.Versioning;

namespace StreamPredict.IntegrationTests.Deploy;

/// <summary>The Makefile that `sam build` calls really produces what Lambda's provided.al2023 runtime starts.</summary>
public class SamBuildTests
{
    private static readonly string[] RootFiles = ["Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig"];

    [ToolFact("make", "dotnet")]
    [UnsupportedOSPlatform("windows")] // sam build's makefile method and the linux-x64 package are Unix affairs
    public async Task Makefile_publishes_an_executable_self_contained_bootstrap_into_ARTIFACTS_DIR()
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
                "make", ["--makefile", makefile, "build-StreamPredictFunction", $"ARTIFACTS_DIR={artifacts}"], scratch, TimeSpan.FromMinutes(10));

            Assert.True(result.ExitCode == 0, result.Output);
            var bootstrap = Path.Combine(artifacts, "bootstrap");
            Assert.True(File.Exists(bootstrap), $"no bootstrap in {artifacts}:\n{result.Output}");
            Assert.True(File.GetUnixFileMode(bootstrap).HasFlag(UnixFileMode.UserExecute | UnixFileMode.OtherExecute), "bootstrap is not executable");
            Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(bootstrap)[..4]);
            Assert.True(File.Exists(Path.Combine(artifacts, "bootstrap.dll")), "bootstrap.dll (the app) is missing");
            // provided.al2023 has no .NET: the runtime must be in the package.
            Assert.True(File.Exists(Path.Combine(artifacts, "libcoreclr.so")), "the publish is not self-contained");
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
