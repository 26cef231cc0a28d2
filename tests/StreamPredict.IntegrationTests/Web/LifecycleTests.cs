using System.Net;
using System.Net.Sockets;
using System.Text;
using StreamPredict.IntegrationTests.Infrastructure;
using StreamPredict.Serving.Models;
using Xunit.Abstractions;

namespace StreamPredict.IntegrationTests.Web;

/// <summary>The service as a real process: readiness before the model, a bad model at start, SIGTERM, SIGHUP.</summary>
[Collection(Emulators.Collection)]
public sealed class LifecycleTests(EmulatorFixture emulators, ITestOutputHelper output)
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);
    private const string CourseRide = """{"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}""";

    [Fact]
    public async Task Readiness_says_not_ready_and_predict_answers_503_until_the_model_is_loaded()
    {
        await using var s3 = new SlowS3Endpoint(WebModels.CourseForest());
        await using var web = WebProcess.Start(new Dictionary<string, string>
        {
            ["MODEL_BUCKET"] = "models", ["RUN_ID"] = "slow", ["AWS_ENDPOINT_URL_S3"] = s3.Url, ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "test",
        });
        using var http = new HttpClient { BaseAddress = await web.AddressAsync(Startup) };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/v2/health/live", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(new Uri("/v2/health/ready", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(new Uri("/ping", UriKind.Relative))).StatusCode);
        await CourseApiTests.AssertProblemAsync(await http.PostAsync(new Uri("/predict", UriKind.Relative), new StringContent(CourseRide, Encoding.UTF8, "application/json")), 503, "model_not_loaded");
        Assert.True(s3.Requests > 0, "the model was not being fetched");

        s3.Release();
        var deadline = DateTime.UtcNow + Startup;
        while ((await http.GetAsync(new Uri("/v2/health/ready", UriKind.Relative))).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "never ready");
            await Task.Delay(50);
        }

        Assert.Contains("\"duration\":21.29", await (await http.PostAsync(new Uri("/predict", UriKind.Relative), new StringContent(CourseRide, Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_model_at_start_exits_non_zero_with_the_message_the_function_gives()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("web-bad-model-").FullName, "model.json");
        await File.WriteAllBytesAsync(path, WebModels.Corrupt());
        var expected = Assert.Throws<ModelUnavailableException>(() => ModelLoader.Load(File.ReadAllBytes(path), ModelLocation.Parse(path, ModelLocation.LocationVariable))).Message;

        await using var web = WebProcess.Start(new Dictionary<string, string> { ["MODEL_LOCATION"] = path });

        Assert.Equal(1, await web.WaitForExitAsync(Startup));
        Assert.Contains(web.Output, line => line.Contains(expected, StringComparison.Ordinal));
        Assert.Contains("checksum mismatch", expected, StringComparison.Ordinal);
        output.WriteLine(expected);
    }

    [Fact]
    public async Task A_missing_model_in_S3_exits_non_zero_naming_the_bucket_and_key_as_the_function_does()
    {
        using var s3 = emulators.CreateObjectStore();
        var bucket = EmulatorFixture.UniqueName("nomodel");
        await s3.EnsureBucketAsync(bucket, CancellationToken.None);
        var variables = new Dictionary<string, string>(emulators.Variables) { ["MODEL_BUCKET"] = bucket, ["RUN_ID"] = "absent" };
        var location = ModelLocation.FromEnvironment(variables.GetValueOrDefault);
        var expected = (await Assert.ThrowsAsync<ModelUnavailableException>(() => ModelLoader.LoadAsync(
            location, () => new StreamPredict.Aws.S3.S3ObjectDownloader(emulators.Environment), CancellationToken.None))).Message;

        await using var web = WebProcess.Start(variables);

        Assert.Equal(1, await web.WaitForExitAsync(Startup));
        Assert.Contains(web.Output, line => line.Contains(expected, StringComparison.Ordinal));
        Assert.Contains($"s3://{bucket}/1/absent/artifacts/model/model.json", expected, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SIGTERM_stops_accepting_connections_and_finishes_the_request_in_flight()
    {
        await using var web = WebProcess.Start(new Dictionary<string, string> { ["MODEL_LOCATION"] = WebModels.CourseForestPath });
        var address = await web.AddressAsync(Startup);
        await web.WaitForOutputAsync(l => l.Contains("model loaded", StringComparison.Ordinal), Startup);

        // A request in flight: headers and half the body sent, the rest after SIGTERM.
        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        var stream = client.GetStream();
        var body = Encoding.UTF8.GetBytes(CourseRide);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /predict HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"));
        await stream.WriteAsync(body.AsMemory(0, 10));
        await stream.FlushAsync();
        await Task.Delay(300);

        await web.SignalAsync("TERM");
        await web.WaitForOutputAsync(l => l.Contains("Application is shutting down", StringComparison.Ordinal), Startup);
        Assert.True(await RefusesConnectionsAsync(address, TimeSpan.FromSeconds(20)), "still accepting connections after SIGTERM");

        await stream.WriteAsync(body.AsMemory(10));
        var response = await ReadResponseAsync(stream);
        Assert.StartsWith("HTTP/1.1 200 OK", response, StringComparison.Ordinal);
        Assert.Contains("\"duration\":21.29", response, StringComparison.Ordinal);
        Assert.Equal(0, await web.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task SIGHUP_checks_the_stored_model_now_and_a_bad_one_keeps_the_old_serving()
    {
        var folder = Directory.CreateTempSubdirectory("web-sighup-").FullName;
        var file = Path.Combine(folder, "model.json");
        await File.WriteAllBytesAsync(file, WebModels.CourseForest());
        await using var web = WebProcess.Start(new Dictionary<string, string> { ["MODEL_LOCATION"] = folder });
        using var http = new HttpClient { BaseAddress = await web.AddressAsync(Startup) };
        await web.WaitForOutputAsync(l => l.Contains("model loaded", StringComparison.Ordinal), Startup);

        await File.WriteAllBytesAsync(file, WebModels.Linear());
        await Task.Delay(1500); // no MODEL_POLL_SECONDS: nothing checks by itself
        Assert.Equal("e1efc53e9bd149078b0c12aeaa6365df", await VersionAsync(http));

        await web.SignalAsync("HUP");
        await web.WaitForOutputAsync(l => l.Contains("model reloaded: version linear-b", StringComparison.Ordinal), Startup);
        Assert.Equal("linear-b", await VersionAsync(http));

        await File.WriteAllBytesAsync(file, WebModels.Corrupt());
        await web.SignalAsync("HUP");
        var failed = await web.WaitForOutputAsync(l => l.Contains("model reload failed", StringComparison.Ordinal), Startup);
        Assert.Contains("checksum mismatch", failed, StringComparison.Ordinal);
        Assert.Equal("linear-b", await VersionAsync(http));
        Assert.Contains("streampredict_model_reload_failures_total 1", await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
        Assert.False(web.HasExited);
    }

    /// <summary>Whether the listener closes within <paramref name="timeout"/> (Kestrel unbinds a moment after the stopping log line).</summary>
    private static async Task<bool> RefusesConnectionsAsync(Uri address, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var late = new TcpClient();
                await late.ConnectAsync(address.Host, address.Port);
            }
            catch (SocketException)
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    private static async Task<string?> VersionAsync(HttpClient http)
    {
        using var response = await http.PostAsync(new Uri("/predict", UriKind.Relative), new StringContent(CourseRide, Encoding.UTF8, "application/json"));
        return response.Headers.GetValues("X-Model-Version").Single();
    }

    private static async Task<string> ReadResponseAsync(NetworkStream stream)
    {
        var buffer = new byte[4096];
        var text = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!text.ToString().Contains('}', StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
