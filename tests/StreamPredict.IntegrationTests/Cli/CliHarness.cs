using System.Text.Json;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Cli;
using StreamPredict.Cli.Tailing;
using StreamPredict.IntegrationTests.Infrastructure;

namespace StreamPredict.IntegrationTests.Cli;

/// <summary>Runs `streampredict` in-process against the fixture's endpoints, and reads streams back.</summary>
internal sealed class CliHarness(EmulatorFixture emulators)
{
    public Dictionary<string, string> Environment { get; } = new(emulators.Variables, StringComparer.Ordinal);

    public string RepositoryRoot => emulators.RepositoryRoot;

    public string CourseForest => Path.Combine(RepositoryRoot, "tests", "StreamPredict.Tests", "TestData", "course-forest.model.json");

    public string RidesSample => Path.Combine(RepositoryRoot, "src", "StreamPredict.Cli", "SampleData", "green_tripdata_2021-02.rides.csv.gz");

    public async Task<CliRun> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.InvokeAsync(args, stdout, stderr, Environment, cancellationToken);
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    public static async Task<List<ShardRecord>> ReadAllAsync(KinesisClient kinesis, string stream, CancellationToken cancellationToken)
    {
        var records = new List<ShardRecord>();
        await new StreamTailer(kinesis, stream).ReadAsync(false, false, record => { records.Add(record); return true; }, null, cancellationToken);
        return records;
    }

    public static string RideId(ShardRecord prediction)
    {
        using var document = JsonDocument.Parse(prediction.Record.Data);
        var id = document.RootElement.GetProperty("prediction").GetProperty("ride_id");
        return id.ValueKind == JsonValueKind.String ? id.GetString()! : id.GetRawText();
    }
}

internal sealed record CliRun(int Exit, string Out, string Error)
{
    /// <summary>The --json summary: the last line on stdout.</summary>
    public JsonElement Summary
    {
        get
        {
            var last = Out.TrimEnd().Split('\n')[^1];
            using var document = JsonDocument.Parse(last);
            return document.RootElement.Clone();
        }
    }

    public override string ToString() => $"exit {Exit}{System.Environment.NewLine}stdout:{System.Environment.NewLine}{Out}stderr:{System.Environment.NewLine}{Error}";
}
