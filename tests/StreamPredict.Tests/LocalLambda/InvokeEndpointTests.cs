using System.Net;
using System.Net.Http.Headers;
using System.Text;
using StreamPredict.LocalLambda;
using StreamPredict.LocalLambda.Invoke;
using StreamPredict.LocalLambda.Runtime;

namespace StreamPredict.Tests.LocalLambda;

/// <summary>The endpoint over real HTTP, with an in-memory function behind it.</summary>
public sealed class InvokeEndpointTests : IAsyncLifetime
{
    private readonly FakeFunction.Concurrency _concurrency = new();
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(1) };
    private FakeStarts _starts = null!;
    private InvokeEndpoint _endpoint = null!;

    public Task InitializeAsync()
    {
        _starts = new FakeStarts(n => new FakeFunction(n, async (_, payload, cancellationToken) =>
        {
            await Task.Delay(10, cancellationToken);
            return new FunctionResult(FunctionResultKind.Response, payload.ToArray(), null, null);
        }) { SharedConcurrency = _concurrency });
        _endpoint = InvokeEndpoint.Start("127.0.0.1", 0, new FunctionSandbox(_starts.StartAsync, TimeSpan.FromSeconds(30), _ => { }), _ => { });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
    }

    private Task<HttpResponseMessage> PostAsync(string path, byte[] body, string? host = null)
    {
        var url = new UriBuilder(_endpoint.BaseUrl) { Path = path };
        if (host is not null)
        {
            url.Host = host;
        }

        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return Http.PostAsync(url.Uri, content);
    }

    private List<string> Received() => _starts.Started.SelectMany(f => f.Payloads).Select(Encoding.UTF8.GetString).ToList();

    [Fact]
    public async Task Both_paths_reach_the_function_and_answer_its_payload()
    {
        using var rie = await PostAsync(_endpoint.RieUrl.AbsolutePath, """{"via":"rie"}"""u8.ToArray());
        using var sam = await PostAsync(_endpoint.FunctionUrl.AbsolutePath, """{"via":"sam"}"""u8.ToArray());

        Assert.Equal(HttpStatusCode.OK, rie.StatusCode);
        Assert.Equal("""{"via":"rie"}""", await rie.Content.ReadAsStringAsync());
        Assert.Equal("application/json", rie.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"via":"sam"}""", await sam.Content.ReadAsStringAsync());
        Assert.False(rie.Headers.Contains(InvokeAnswer.FunctionErrorHeader));
    }

    [Fact]
    public async Task The_course_s_localhost_URL_works_on_the_default_loopback_address()
    {
        using var response = await PostAsync("/2015-03-31/functions/function/invocations", "{}"u8.ToArray(), host: "localhost");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Concurrent_requests_queue_for_the_one_sandbox()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => PostAsync(_endpoint.RieUrl.AbsolutePath, Encoding.UTF8.GetBytes($$"""{"n":{{i}}}"""))));

        for (var i = 0; i < responses.Length; i++)
        {
            Assert.Equal($$"""{"n":{{i}}}""", await responses[i].Content.ReadAsStringAsync());
            responses[i].Dispose();
        }

        Assert.Equal(1, _concurrency.Max);
        Assert.Single(_starts.Started);
    }

    [Fact]
    public async Task The_RIE_path_passes_any_body_through_and_the_Invoke_API_path_checks_it_as_SAM_does()
    {
        using var raw = await PostAsync(_endpoint.RieUrl.AbsolutePath, "not json"u8.ToArray());
        using var empty = await PostAsync(_endpoint.FunctionUrl.AbsolutePath, []);
        using var invalid = await PostAsync(_endpoint.FunctionUrl.AbsolutePath, "not json"u8.ToArray());

        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(["InvalidRequestContentException"], invalid.Headers.GetValues(InvokeAnswer.ServiceErrorTypeHeader));
        Assert.Contains("Could not parse request body into json", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(["not json", "{}"], Received());
    }

    [Fact]
    public async Task A_body_over_Lambda_s_6_MB_is_refused_before_the_function_sees_it()
    {
        using var response = await PostAsync(_endpoint.RieUrl.AbsolutePath, new byte[InvokeEndpoint.MaxRequestBytes + 1]);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("smaller than 6291456 bytes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Received());
    }

    [Fact]
    public async Task Wrong_names_paths_and_methods_get_SAM_s_errors()
    {
        using var other = await PostAsync("/2015-03-31/functions/other/invocations", "{}"u8.ToArray());
        using var path = await PostAsync("/2015-03-31/functions", "{}"u8.ToArray());
        using var get = await Http.GetAsync(_endpoint.RieUrl);

        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(["ResourceNotFound"], other.Headers.GetValues(InvokeAnswer.ServiceErrorTypeHeader));
        Assert.Equal(HttpStatusCode.NotFound, path.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Empty(Received());
    }

    [Fact]
    public async Task A_port_in_use_is_refused_with_the_address_and_the_option_to_change()
    {
        var sandbox = new FunctionSandbox(_starts.StartAsync, TimeSpan.FromSeconds(30), _ => { });
        await using var _ = sandbox;

        var error = Assert.Throws<LocalLambdaException>(() => InvokeEndpoint.Start("127.0.0.1", _endpoint.BaseUrl.Port, sandbox, _ => { }));

        Assert.Contains(_endpoint.BaseUrl.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("--port", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("")]
    public async Task A_host_that_is_not_an_address_is_refused_naming_it(string host)
    {
        var sandbox = new FunctionSandbox(_starts.StartAsync, TimeSpan.FromSeconds(30), _ => { });
        await using var _ = sandbox;

        var error = Assert.Throws<LocalLambdaException>(() => InvokeEndpoint.Start(host, 0, sandbox, _ => { }));

        Assert.Contains($"--host '{host}'", error.Message, StringComparison.Ordinal);
    }
}
