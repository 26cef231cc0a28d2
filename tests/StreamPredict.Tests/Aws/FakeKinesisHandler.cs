using System.Net;
using System.Text;

namespace StreamPredict.Tests.Aws;

/// <summary>Answers each attempt from a script and records what was sent; no sockets involved.</summary>
internal sealed class FakeKinesisHandler(Func<int, HttpResponseMessage> respond) : HttpMessageHandler
{
    public int Attempts { get; private set; }

    public List<(HttpRequestMessage Request, byte[] Body)> Sent { get; } = [];

    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/x-amz-json-1.1") };

    public static HttpResponseMessage Error(HttpStatusCode status, string type, string message = "boom") =>
        Json(status, $$"""{"__type":"{{type}}","message":"{{message}}"}""");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Attempts++;
        Sent.Add((request, request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken)));
        return respond(Attempts);
    }
}
