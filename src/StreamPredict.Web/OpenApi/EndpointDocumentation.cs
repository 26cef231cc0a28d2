using Microsoft.AspNetCore.Builder;
using StreamPredict.Web.Observability;

namespace StreamPredict.Web.OpenApi;

/// <summary>What the OpenAPI document says of one endpoint (see <see cref="EndpointOperations"/>).</summary>
/// <remarks>Not ASP.NET's Accepts metadata: routing would use that to pick endpoints by content type, and this
/// service answers a wrong content type itself, with a 415 problem that names it.</remarks>
internal sealed record OperationDoc(string Summary, Type? RequestType, string[] RequestContentTypes, Type? ResponseType);

/// <summary>Metadata on the endpoints: their metrics, and their documentation.</summary>
internal static class EndpointDocumentation
{
    public static TBuilder WithRouteMetrics<TBuilder>(this TBuilder builder, ServiceMetrics metrics, string route) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return builder.WithMetadata(metrics.Route(route));
    }

    public static TBuilder Documented<TBuilder>(this TBuilder builder, string summary, Type? requestType, string[] requestContentTypes, Type? responseType)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new OperationDoc(summary, requestType, requestContentTypes, responseType));
}
