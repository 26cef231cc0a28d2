using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using StreamPredict.IntegrationTests.Infrastructure;
using StreamPredict.Model;
using Xunit.Abstractions;

namespace StreamPredict.IntegrationTests.Web;

/// <summary>
/// Hot reload from S3 (the emulator) under load: the model is swapped back and forth between two models with
/// distinguishable answers while clients keep asking. No request fails, every answer is exactly what the version it
/// names computes, and a corrupt model is counted as a failed reload while the last good model keeps serving.
/// </summary>
[Collection(Emulators.Collection)]
public sealed class ModelReloadTests(EmulatorFixture emulators, ITestOutputHelper output)
{
    private const string Key = "1/reload-run/artifacts/model/model.json";
    private static readonly Ride[] Rides = [new(130, 205, 3.66), new(10, 50, 40), new(74, 168, 1.2)];

    [Fact]
    public async Task Swaps_under_load_fail_no_request_and_every_answer_matches_the_version_it_names()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        using var s3 = emulators.CreateObjectStore();
        var bucket = EmulatorFixture.UniqueName("reload");
        await s3.EnsureBucketAsync(bucket, cancel.Token);
        var forest = WebModels.CourseForest();
        var linear = WebModels.Linear();
        var models = new Dictionary<string, CompiledModel>
        {
            ["e1efc53e9bd149078b0c12aeaa6365df"] = WebModels.Compile(forest),
            ["linear-b"] = WebModels.Compile(linear),
        };
        await s3.PutAsync(bucket, Key, forest, cancel.Token);
        var variables = new Dictionary<string, string>(emulators.Variables) { ["MODEL_BUCKET"] = bucket, ["MODEL_KEY"] = Key, ["MODEL_POLL_SECONDS"] = "1" };
        await using var web = await WebService.StartAsync(variables);

        var answers = new ConcurrentQueue<(string Version, double[] Durations)>();
        var failures = new ConcurrentBag<string>();
        using var stopClients = new CancellationTokenSource();
        var body = "[" + string.Join(",", Rides.Select(CourseApiTests.Json)) + "]";
        var clients = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            while (!stopClients.IsCancellationRequested)
            {
                try
                {
                    using var response = await web.PostAsync("/predict", body);
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        failures.Add($"{(int)response.StatusCode} {text}");
                        continue;
                    }

                    using var answer = JsonDocument.Parse(text);
                    var versions = answer.RootElement.EnumerateArray().Select(a => a.GetProperty("model_version").GetString()!).Distinct().ToList();
                    if (versions.Count != 1 || versions[0] != response.Headers.GetValues("X-Model-Version").Single())
                    {
                        failures.Add($"one answer names several versions: {text}");
                        continue;
                    }

                    answers.Enqueue((versions[0], [.. answer.RootElement.EnumerateArray().Select(a => a.GetProperty("duration").GetDouble())]));
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    failures.Add(exception.Message);
                }
            }
        })).ToList();

        var sequence = new[] { (linear, "linear-b"), (forest, "e1efc53e9bd149078b0c12aeaa6365df"), (linear, "linear-b"), (forest, "e1efc53e9bd149078b0c12aeaa6365df") };
        foreach (var (artifact, version) in sequence)
        {
            await s3.PutAsync(bucket, Key, artifact, cancel.Token);
            await WaitForAnswerFromAsync(answers, version, cancel.Token);
            output.WriteLine($"swapped to {version}; {answers.Count} answers so far");
        }

        // A corrupt model: the reload fails, is counted, and the forest keeps answering.
        await s3.PutAsync(bucket, Key, WebModels.Corrupt(), cancel.Token);
        await WaitForMetricAsync(web, "streampredict_model_reload_failures_total 1", cancel.Token);
        var countBefore = answers.Count;
        await Task.Delay(1500, cancel.Token);
        await stopClients.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Empty(failures);
        Assert.True(answers.Count > countBefore, "no answers after the failed reload");
        Assert.All(answers, a => Assert.Equal(Rides.Select(r => models[a.Version].Predict(r)), a.Durations));
        Assert.Equal(models.Keys.Order(), answers.Select(a => a.Version).Distinct().Order());
        var metrics = await web.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("streampredict_model_reloads_total 4", metrics, StringComparison.Ordinal);
        Assert.Contains("version=\"e1efc53e9bd149078b0c12aeaa6365df\"", metrics, StringComparison.Ordinal);
        output.WriteLine($"{answers.Count} answers during 4 swaps and a failed reload: {answers.Count(a => a.Version == "linear-b")} from linear-b, 0 failed");
    }

    private static async Task WaitForAnswerFromAsync(ConcurrentQueue<(string Version, double[] Durations)> answers, string version, CancellationToken cancellationToken)
    {
        var before = answers.Count;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        // An answer after the put that names the new version (the bag holds older answers too).
        while (!answers.Skip(before).Any(a => a.Version == version))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no answer from {version} within 30 s");
            await Task.Delay(50, cancellationToken);
        }
    }

    internal static async Task WaitForMetricAsync(WebService web, string line, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await web.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken)).Contains(line, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"/metrics never showed '{line}'");
            await Task.Delay(100, cancellationToken);
        }
    }
}
