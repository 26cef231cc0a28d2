using System.Diagnostics;
using StreamPredict.Aws.Kinesis;
using StreamPredict.IntegrationTests.Deploy;
using StreamPredict.IntegrationTests.Infrastructure;
using StreamPredict.TestKit.Docs;
using Xunit.Abstractions;

namespace StreamPredict.IntegrationTests.Docs;

/// <summary>
/// Runs every runnable shell block of the root README (<c>&lt;!-- runnable --&gt;</c> above the fence) with bash, from the
/// clone's root, against the emulators, as a new user pastes it: the front door cannot rot.
/// </summary>
[Collection(Emulators.Collection)]
public sealed class ReadmeTests(EmulatorFixture emulators, ITestOutputHelper output)
{
    private static readonly TimeSpan BlockTimeout = TimeSpan.FromMinutes(5);

    private static string Readme => File.ReadAllText(RepositoryPaths.File("README.md"));

    public static TheoryData<int> Blocks()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < ReadmeShellBlocks.Read(Readme).Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Fact]
    public void The_front_door_marks_at_least_three_examples_runnable()
        => Assert.True(ReadmeShellBlocks.Read(Readme).Count >= 3, $"README.md has fewer than 3 blocks marked {ReadmeShellBlocks.Marker}");

    [Theory]
    [MemberData(nameof(Blocks))]
    public async Task A_runnable_block_runs_as_written(int index)
    {
        var block = ReadmeShellBlocks.Read(Readme)[index];
        await CreateWhatTheStartLineCreatesAsync();

        var start = emulators.CreateStartInfo("bash", "-euo", "pipefail", "-c", block.Script);
        Tools.WithoutOuterBuildSettings(start);   // the block's `dotnet run` must build as a user's does
        start.RedirectStandardInput = false;      // nothing is typed into a block
        // A block's `mktemp` files land in a folder this test removes afterwards.
        var temp = Directory.CreateTempSubdirectory("readme-block-");
        start.Environment["TMPDIR"] = temp.FullName;
        try
        {
            var clock = Stopwatch.StartNew();
            await using var process = CapturedProcess.Start(start);
            int exitCode;
            try
            {
                exitCode = await process.WaitForExitAsync(BlockTimeout);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{block} did not finish within {BlockTimeout.TotalMinutes} minutes:\n{block.Script}\n--- output ---\n{string.Join('\n', process.Output)}");
                throw;
            }

            var outputText = string.Join('\n', process.Output);
            output.WriteLine($"{block}: exit {exitCode} in {clock.Elapsed.TotalSeconds:F1} s\n{outputText}");
            Assert.True(exitCode == 0, $"{block} exited {exitCode}:\n{block.Script}\n--- output (stderr lines prefixed) ---\n{outputText}");
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The README starts the emulators with S3_BUCKETS and INITIALIZE_STREAMS; the fixture's emulators are shared, so the
    /// test creates the same buckets and streams in them (each once; an existing one is kept).
    /// </summary>
    private async Task CreateWhatTheStartLineCreatesAsync()
    {
        var resources = ReadmeShellBlocks.ReadEmulatorResources(Readme);
        var cancellationToken = EmulatorFixture.TestTimeout();
        using var store = emulators.CreateObjectStore();
        foreach (var bucket in resources.Buckets)
        {
            await store.EnsureBucketAsync(bucket, cancellationToken);
        }

        using var kinesis = emulators.CreateKinesisClient();
        foreach (var (stream, shards) in resources.Streams)
        {
            try
            {
                await kinesis.DescribeStreamSummaryAsync(stream, cancellationToken);
            }
            catch (KinesisResourceNotFoundException)
            {
                await kinesis.CreateStreamAsync(stream, shards, cancellationToken);
            }

            await kinesis.WaitForStreamActiveAsync(stream, TimeSpan.FromSeconds(60), cancellationToken);
        }
    }
}
