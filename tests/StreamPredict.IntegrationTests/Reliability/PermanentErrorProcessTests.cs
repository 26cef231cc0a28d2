using System.Diagnostics;
using System.Text.Json;
using StreamPredict.IntegrationTests.Faults;
using StreamPredict.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace StreamPredict.IntegrationTests.Reliability;

/// <summary>
/// The real bootstrap process publishing to an output stream that does not exist on kinesis-local: Kinesis answers
/// ResourceNotFoundException, which no retry can fix, so the function stops at once and reports every record.
/// </summary>
[Collection(Emulators.Collection)]
public sealed class PermanentErrorProcessTests(EmulatorFixture emulators, ITestOutputHelper output)
{
    private const int Rides = 10_000;

    /// <summary>The concurrency bound: at most one round of PutRecords calls may be in the air when the first answer arrives.</summary>
    private const int MaxCallsBeforeStopping = 8;

    [Fact]
    public async Task A_missing_output_stream_stops_publishing_at_once_reports_every_record_logs_one_error_and_counts_it()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var rig = new ReliabilityRig(emulators);
        await rig.CreateStreamsAsync(cancel.Token);
        var missing = EmulatorFixture.UniqueName("rel-missing");
        // An empty plan: the proxy only counts the calls.
        var proxy = rig.StartProxy(new FaultPlan());
        var function = rig.StartFunction(proxy, new Dictionary<string, string> { ["PREDICTIONS_STREAM_NAME"] = missing });
        await function.Runtime.InitDone.WaitAsync(TimeSpan.FromSeconds(60), cancel.Token);

        var started = Stopwatch.GetTimestamp();
        var outcome = await function.Runtime.InvokeAsync(ReliabilityRig.Rides(Rides, "m"), TimeSpan.FromSeconds(60), cancel.Token);
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.True(outcome.Succeeded, $"{outcome.Error?.ErrorType}: {outcome.Error?.ErrorMessage}");
        using var response = JsonDocument.Parse(outcome.Response);
        Assert.Equal(Enumerable.Range(0, Rides).Select(ReliabilityRig.Sequence), ReliabilityRig.FailureIds(response.RootElement));
        Assert.InRange(proxy.Counters.Calls, 1, MaxCallsBeforeStopping);

        using var metrics = JsonDocument.Parse(await function.WaitForOutputAsync(l => l.Contains("\"_aws\"", StringComparison.Ordinal), TimeSpan.FromSeconds(10)));
        Assert.Equal(1, metrics.RootElement.GetProperty("PermanentErrors").GetInt32());
        Assert.Equal(Rides, metrics.RootElement.GetProperty("Failed").GetInt32());
        var errors = function.Output.Where(l => l.Contains("\"level\":\"ERROR\"", StringComparison.Ordinal)).ToList();
        var error = Assert.Single(errors);
        Assert.Contains(missing, error, StringComparison.Ordinal);
        Assert.Contains("ResourceNotFoundException", error, StringComparison.Ordinal);
        Assert.False(function.HasExited);
        output.WriteLine($"{Rides} rides to a missing stream: answered in {elapsed.TotalMilliseconds:0} ms after {proxy.Counters.Calls} PutRecords call(s), all reported");
        output.WriteLine(error);
    }
}
