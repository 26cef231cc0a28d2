using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;

namespace StreamPredict.IntegrationTests.Web;

/// <summary>
/// The web service started in this process on a free loopback port (Kestrel, real HTTP), built exactly as the
/// executable builds it (<see cref="StreamPredict.Web.Program.Build"/>), with its own variables.
/// </summary>
internal sealed class WebService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebService(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts and, unless told otherwise, waits until the model is loaded.</summary>
    public static async Task<WebService> StartAsync(IReadOnlyDictionary<string, string> variables, bool waitUntilReady = true)
    {
        var app = StreamPredict.Web.Program.Build(["--urls", "http://127.0.0.1:0"], name => variables.GetValueOrDefault(name));
        await app.StartAsync();
        var service = new WebService(app, new Uri(app.Urls.First()));
        if (waitUntilReady)
        {
            await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
        }

        return service;
    }

    public static Task<WebService> StartWithModelFileAsync(string path, params (string Name, string Value)[] more) =>
        StartAsync(new Dictionary<string, string>(more.Select(m => KeyValuePair.Create(m.Name, m.Value))) { ["MODEL_LOCATION"] = path });

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var response = await Http.GetAsync(new Uri("/v2/health/ready", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"not ready within {timeout}");
            await Task.Delay(50);
        }
    }

    public Task<HttpResponseMessage> PostAsync(string path, string body, string contentType = "application/json") =>
        PostAsync(path, Encoding.UTF8.GetBytes(body), contentType);

    public Task<HttpResponseMessage> PostAsync(string path, byte[] body, string? contentType = "application/json")
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return Http.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
