using System.Net;
using System.Net.Sockets;
using System.Text;
using StreamPredict.Cli;

namespace StreamPredict.IntegrationTests.Web;

/// <summary>`streampredict serve`: the web service hosted by the CLI, on the port asked for, stopped by cancellation.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_answers_on_the_given_loopback_port_until_cancelled()
    {
        var port = FreePort();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var serving = CliApp.InvokeAsync(["serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], stdout, stderr,
            new Dictionary<string, string> { ["MODEL_LOCATION"] = WebModels.CourseForestPath }, stop.Token);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(serving.IsCompleted, $"serve ended early: {stderr}");
            try
            {
                using var ready = await http.GetAsync(new Uri("/v2/health/ready", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.True(DateTime.UtcNow < deadline, "serve never became ready");
            await Task.Delay(50);
        }

        using var answer = await http.PostAsync(new Uri("/predict", UriKind.Relative), new StringContent("""{"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}""", Encoding.UTF8, "application/json"));
        Assert.Contains("\"duration\":21.29", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await stop.CancelAsync();
        Assert.Equal(0, await serving.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_missing_model_setting_is_one_line_naming_the_variable_and_exit_1()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await CliApp.InvokeAsync(["serve", "--port", "0"], stdout, stderr, new Dictionary<string, string> { ["MODEL_LOCATION"] = " ", ["MODEL_BUCKET"] = " " });

        Assert.Equal(1, code);
        Assert.StartsWith("error: MODEL_BUCKET is not set", stderr.ToString(), StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
