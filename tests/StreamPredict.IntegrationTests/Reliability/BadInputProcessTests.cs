using System.Text.Json;
using StreamPredict.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace StreamPredict.IntegrationTests.Reliability;

/// <summary>
/// Every file of the bad-input corpus (events/bad/, expectations in events/bad/expected.json) through ONE real
/// bootstrap process publishing to kinesis-local: dead letters with the reason and source sequence number on the real
/// rejections stream, a JSON log line per rejection, the good neighbours predicted, and the process still serving.
/// </summary>
[Collection(Emulators.Collection)]
public sealed class BadInputProcessTests(EmulatorFixture emulators, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_bad_input_kind_gives_a_dead_letter_a_log_line_and_keeps_the_process_serving()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await using var rig = new ReliabilityRig(emulators);
        await rig.CreateStreamsAsync(cancel.Token);
        var function = rig.StartFunction();
        using var expected = JsonDocument.Parse(await File.ReadAllBytesAsync(rig.RepoFile("events", "bad", "expected.json"), cancel.Token));
        int predictionsSoFar = 0, lettersSoFar = 0, invocations = 0, recordsIn = 0;

        foreach (var file in expected.RootElement.EnumerateObject())
        {
            var payload = await File.ReadAllBytesAsync(rig.RepoFile("events", "bad", file.Name), cancel.Token);
            var outcome = await function.Runtime.InvokeAsync(payload, TimeSpan.FromSeconds(60), cancel.Token);
            invocations++;
            if (file.Value.ValueKind == JsonValueKind.Null)
            {
                // Not a Kinesis event: nothing to dead-letter (no record, no sequence number); the invocation fails.
                Assert.Equal("InvalidEvent", outcome.Error?.ErrorType);
                Assert.Contains("not 'aws:kinesis'", outcome.Error!.ErrorMessage, StringComparison.Ordinal);
                await function.WaitForOutputAsync(l => l.Contains("\"level\":\"ERROR\"", StringComparison.Ordinal) && l.Contains("InvalidEvent", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
                invocations--; // no metrics line for a failed invocation
                output.WriteLine($"{file.Name}: /invocation/error InvalidEvent: {outcome.Error.ErrorMessage}");
                continue;
            }

            Assert.True(outcome.Succeeded, $"{file.Name}: {outcome.Error?.ErrorType}: {outcome.Error?.ErrorMessage}");
            using var response = JsonDocument.Parse(outcome.Response);
            Assert.Empty(ReliabilityRig.FailureIds(response.RootElement));
            await WaitForMetricsLinesAsync(function, invocations);

            using var source = JsonDocument.Parse(payload);
            var sequences = source.RootElement.GetProperty("Records").EnumerateArray().Select(r => r.GetProperty("kinesis").GetProperty("sequenceNumber").GetString()!).ToList();
            var kinds = file.Value.EnumerateArray().Select(k => k.ValueKind == JsonValueKind.Null ? null : k.GetString()).ToList();
            recordsIn += kinds.Count;
            var predictions = (await rig.ReadAsync(rig.Predictions, cancel.Token)).Skip(predictionsSoFar).ToList();
            var letters = (await rig.ReadAsync(rig.Rejections, cancel.Token)).Skip(lettersSoFar).ToList();
            predictionsSoFar += predictions.Count;
            lettersSoFar += letters.Count;

            var bad = kinds.Select((kind, i) => (kind, i)).Where(k => k.kind is not null).ToList();
            Assert.Equal(bad.Select(k => k.kind), letters.Select(l => l.GetProperty("error_kind").GetString()));
            Assert.Equal(bad.Select(k => sequences[k.i]), letters.Select(l => l.GetProperty("source_sequence_number").GetString()));
            Assert.All(letters, l => Assert.False(string.IsNullOrWhiteSpace(l.GetProperty("reason").GetString())));
            Assert.Equal(kinds.Where(k => k is null).Count(), predictions.Count);
            Assert.Equal(kinds.Select((kind, i) => (kind, i)).Where(k => k.kind is null).Select(k => sequences[k.i]),
                predictions.Select(p => p.GetProperty("source_sequence_number").GetString()));

            var lines = RejectionLogLines(function, invocations);
            Assert.Equal(bad.Select(k => (k.kind, (string?)sequences[k.i])), lines.Select(l => (l.GetProperty("errorKind").GetString(), l.GetProperty("sequenceNumber").GetString())));
            Assert.All(lines, l => Assert.False(string.IsNullOrWhiteSpace(l.GetProperty("reason").GetString())));
            if (kinds.Count == 0)
            {
                Assert.Contains(function.Output, l => l.Contains("empty batch", StringComparison.Ordinal) && l.Contains("\"level\":\"WARN\"", StringComparison.Ordinal));
            }

            output.WriteLine($"{file.Name}: {kinds.Count} records → {predictions.Count} predictions, {letters.Count} dead letters ({string.Join(", ", letters.Select(l => l.GetProperty("error_kind").GetString()).Distinct())}); " +
                $"first reason: {letters.Select(l => l.GetProperty("reason").GetString()).FirstOrDefault()}");
        }

        // Still serving after all of that: the course ride is predicted by the same process.
        var after = await function.Runtime.InvokeAsync(await File.ReadAllBytesAsync(rig.RepoFile("events", "course-ride.json"), cancel.Token), TimeSpan.FromSeconds(60), cancel.Token);
        Assert.True(after.Succeeded);
        Assert.False(function.HasExited);
        var last = (await rig.ReadAsync(rig.Predictions, cancel.Token)).Last();
        Assert.Equal(21.294545, last.GetProperty("prediction").GetProperty("ride_duration").GetDouble(), 1e-4);
        output.WriteLine($"records in {recordsIn}: predictions {predictionsSoFar}, dead letters {lettersSoFar}, lost {recordsIn - predictionsSoFar - lettersSoFar}");
        Assert.Equal(recordsIn, predictionsSoFar + lettersSoFar);
    }

    private static async Task WaitForMetricsLinesAsync(Functions.FunctionProcess function, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (function.Output.Count(l => l.Contains("\"_aws\"", StringComparison.Ordinal)) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"waiting for metrics line {count}:\n{string.Join('\n', function.Output)}");
            await Task.Delay(20);
        }
    }

    /// <summary>The "record rejected" lines of invocation number <paramref name="invocation"/> (lines between its metrics line and the previous one).</summary>
    private static List<JsonElement> RejectionLogLines(Functions.FunctionProcess function, int invocation)
    {
        var lines = function.Output.ToList();
        var ends = lines.Select((line, i) => (line, i)).Where(l => l.line.Contains("\"_aws\"", StringComparison.Ordinal)).Select(l => l.i).ToList();
        var start = invocation >= 2 ? ends[invocation - 2] + 1 : 0;
        return [.. lines[start..ends[invocation - 1]]
            .Where(l => l.Contains("\"errorKind\"", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }
}
