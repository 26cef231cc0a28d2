using System.Collections.Concurrent;

namespace StreamPredict.IntegrationTests.Aws;

/// <summary>Passes requests to a real socket handler and counts them per Kinesis operation (X-Amz-Target).</summary>
internal sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public int Count(string operation) => _counts.GetValueOrDefault("Kinesis_20131202." + operation);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.First() : "";
        _counts.AddOrUpdate(target, 1, (_, count) => count + 1);
        return base.SendAsync(request, cancellationToken);
    }
}
