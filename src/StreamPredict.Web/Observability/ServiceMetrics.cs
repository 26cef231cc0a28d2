using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace StreamPredict.Web.Observability;

/// <summary>
/// What /metrics reports besides the model: requests per route (each route's <see cref="RouteMetrics"/>), predictions
/// made, and inputs rejected by error_kind. One per service.
/// </summary>
internal sealed class ServiceMetrics
{
    private readonly ConcurrentDictionary<string, RouteMetrics> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox<long>> _rejected = new(StringComparer.Ordinal);
    private long _predictions;

    public ServiceMetrics() => Unmatched = Route("unmatched");

    /// <summary>Requests that matched no endpoint (404s).</summary>
    public RouteMetrics Unmatched { get; }

    public long Predictions => Interlocked.Read(ref _predictions);

    /// <summary>The metrics of a route, created once; the endpoint keeps the instance as metadata.</summary>
    public RouteMetrics Route(string route) => _routes.GetOrAdd(route, name => new RouteMetrics(name));

    public IEnumerable<RouteMetrics> Routes => _routes.Values.OrderBy(r => r.Route, StringComparer.Ordinal);

    public void Predicted(int count) => Interlocked.Add(ref _predictions, count);

    public void Rejected(string errorKind) => Interlocked.Increment(ref _rejected.GetOrAdd(errorKind, _ => new StrongBox<long>()).Value);

    public IEnumerable<(string Kind, long Count)> RejectedByKind =>
        _rejected.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => (pair.Key, Interlocked.Read(ref pair.Value.Value)));
}
