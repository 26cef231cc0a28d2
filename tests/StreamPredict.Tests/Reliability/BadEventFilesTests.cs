using System.Text.Json;
using StreamPredict.Aws.Lambda.Bootstrap;
using StreamPredict.Tests.Functions;
using StreamPredict.Tests.Model;
using static StreamPredict.Tests.Functions.HandlerHarness;

namespace StreamPredict.Tests.Reliability;

/// <summary>events/bad/ is the generator's output, and the handler makes of each record what expected.json says.</summary>
public sealed class BadEventFilesTests
{
    private static string BadFile(string name) => Path.Combine(ModelTestFiles.RepoRoot, "events", "bad", name);

    public static TheoryData<string> FileNames() => [.. BadEvents.All().Select(s => s.FileName)];

    private static BadEvents.Sample Sample(string name) => BadEvents.All().Single(s => s.FileName == name);

    private static void AssertCommitted(string name, byte[] generated)
    {
        if (Environment.GetEnvironmentVariable("STREAMPREDICT_WRITE_EVENTS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(BadFile(name))!);
            File.WriteAllBytes(BadFile(name), generated);
        }

        Assert.True(File.Exists(BadFile(name)), $"events/bad/{name} is missing: run the generator (see BadEvents).");
        Assert.Equal(generated, File.ReadAllBytes(BadFile(name)));
    }

    [Theory]
    [MemberData(nameof(FileNames))]
    public void The_committed_file_is_what_the_generator_writes(string name) => AssertCommitted(name, Sample(name).Event);

    [Fact]
    public void The_committed_expectations_are_what_the_generator_writes() => AssertCommitted(BadEvents.ExpectedFileName, BadEvents.Expected());

    [Fact]
    public void The_corpus_covers_at_least_the_thirteen_kinds_of_the_issue()
    {
        var samples = BadEvents.All();
        Assert.True(samples.Count >= 13, $"{samples.Count} files");
        var kinds = samples.SelectMany(s => s.KindPerRecord ?? []).OfType<string>().ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "not_base64", "not_utf8", "not_json", "not_an_object", "ride_missing", "location_id_missing", "location_id_wrong_type",
            "invalid_distance", "distance_wrong_type", "ride_id_missing", "over_size_cap", "too_deep", "duplicate_ride_id",
        }, kinds);
    }

    [Theory]
    [MemberData(nameof(FileNames))]
    public async Task Each_bad_record_becomes_a_dead_letter_with_its_reason_and_the_good_ones_are_predicted(string name)
    {
        var sample = Sample(name);
        using var harness = new HandlerHarness();
        if (sample.KindPerRecord is null)
        {
            var error = await Assert.ThrowsAsync<LambdaFunctionException>(() => harness.InvokeAsync(sample.Event));
            Assert.Equal("InvalidEvent", error.ErrorType);
            Assert.Contains("eventSource is 'aws:sqs', not 'aws:kinesis'", error.Message, StringComparison.Ordinal);
            Assert.Contains(harness.LogLines(), line => line.GetProperty("level").GetString() == "ERROR" && line.GetProperty("errorType").GetString() == "InvalidEvent");
            Assert.Empty(harness.Writer.Calls);
            return;
        }

        var response = await harness.InvokeAsync(sample.Event);

        Assert.Empty(FailureIds(response));
        using var source = JsonDocument.Parse(sample.Event);
        var sequences = source.RootElement.GetProperty("Records").EnumerateArray().Select(r => r.GetProperty("kinesis").GetProperty("sequenceNumber").GetString()).ToList();
        var letters = harness.Writer.Published(Rejections);
        var expectedLetters = sample.KindPerRecord.Select((kind, i) => (kind, i)).Where(k => k.kind is not null).ToList();
        Assert.Equal(expectedLetters.Select(k => k.kind), letters.Select(l => l.GetProperty("error_kind").GetString()));
        Assert.Equal(expectedLetters.Select(k => sequences[k.i]), letters.Select(l => l.GetProperty("source_sequence_number").GetString()));
        Assert.All(letters, l => Assert.False(string.IsNullOrWhiteSpace(l.GetProperty("reason").GetString())));
        Assert.Equal(sample.KindPerRecord.Count(k => k is null), harness.Writer.Published(Predictions).Count);
        var rejectedLines = harness.LogLines().Where(l => l.TryGetProperty("errorKind", out _)).ToList();
        Assert.Equal(expectedLetters.Select(k => sequences[k.i]), rejectedLines.Select(l => l.GetProperty("sequenceNumber").GetString()));
        if (sample.KindPerRecord.Count == 0)
        {
            Assert.Contains(harness.LogLines(), line => line.GetProperty("level").GetString() == "WARN" && line.GetProperty("message").GetString()!.Contains("empty batch", StringComparison.Ordinal));
        }
    }
}
