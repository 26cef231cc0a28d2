using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.Serving.Models;
using StreamPredict.Serving.Rides;

namespace StreamPredict.Cli.Demo;

/// <summary>
/// The web mode in the demo: the service `streampredict serve` runs (<see cref="Web.Program.Build"/>, Kestrel), on a
/// free loopback port with the model file, asked over real HTTP, then stopped.
/// </summary>
internal sealed class WebDemo : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http;

    private WebDemo(WebApplication app)
    {
        _app = app;
        Address = new Uri(app.Urls.First());
        _http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }

    public Uri PredictUrl => new(Address, "/predict");

    /// <summary>Starts the service and waits until its model is loaded.</summary>
    public static async Task<WebDemo> StartAsync(CliContext context, string model, CancellationToken cancellationToken)
    {
        // Port 0: the kernel picks a free port. The service logs to the console; its lines go to stderr here, so that
        // stdout keeps only the demo's summary.
        string[] args = ["--urls", "http://127.0.0.1:0", "--Logging:Console:LogToStandardErrorThreshold=Trace", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning"];
        var app = Web.Program.Build(args, name => name == ModelLocation.LocationVariable ? model : context.GetVariable(name));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var web = new WebDemo(app);
        try
        {
            await web.WaitUntilReadyAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            return web;
        }
        catch
        {
            await web.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>POSTs the ride event, as the stream carried it, to /predict; the answer's duration.</summary>
    public async Task<double> PredictAsync(RideEvent ride, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(ride.ToUtf8Json());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(new Uri("/predict", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new CliException($"POST {PredictUrl} for ride {ride.RideId} answered {(int)response.StatusCode}: {body}");
        }

        using var answer = JsonDocument.Parse(body);
        var root = answer.RootElement;
        if (!root.TryGetProperty("ride_id", out var id) || id.GetString() != ride.RideId || !root.TryGetProperty("duration", out var duration))
        {
            throw new CliException($"POST {PredictUrl} for ride {ride.RideId} answered without its ride_id and duration: {body}");
        }

        // JSON numbers here are written as the shortest text that reads back as the same double, so this is exact.
        return duration.GetDouble();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using (var response = await _http.GetAsync(new Uri("/v2/health/ready", UriKind.Relative), cancellationToken).ConfigureAwait(false))
            {
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }

            if (_app.Lifetime.ApplicationStopping.IsCancellationRequested)
            {
                throw new CliException("The web service stopped before it was ready: its model did not load (the reason is logged above).");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture, $"The web service at {Address} was not ready within {timeout.TotalSeconds:0} s."));
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }
}
