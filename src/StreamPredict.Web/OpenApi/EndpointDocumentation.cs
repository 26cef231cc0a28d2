using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using StreamPredict.Web.Http;
using StreamPredict.Web.Observability;

namespace StreamPredict.Web.OpenApi;

/// <summary>Metadata on the endpoints: their metrics, and what the OpenAPI document says they take and answer.</summary>
internal static class EndpointDocumentation
{
    public static TBuilder WithRouteMetrics<TBuilder>(this TBuilder builder, ServiceMetrics metrics, string route) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return builder.WithMetadata(metrics.Route(route));
    }

    /// <summary>Summary, request body, 200 answer and the problem answers every endpoint can give.</summary>
    public static TBuilder Documented<TBuilder>(this TBuilder builder, string summary, Type? requestType, string[] requestContentTypes, Type? responseType)
        where TBuilder : IEndpointConventionBuilder
    {
        var metadata = new List<object> { new EndpointSummaryAttribute(summary) };
        if (requestType is not null)
        {
            metadata.Add(new AcceptsMetadata(requestContentTypes, requestType));
            foreach (var status in new[] { 400, 413, 415 })
            {
                metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDocument), [Problem.ContentType]));
            }
        }

        metadata.Add(new ProducesResponseTypeMetadata(200, responseType, responseType is null ? ["text/plain"] : [ContentTypes.Json]));
        metadata.Add(new ProducesResponseTypeMetadata(503, typeof(ProblemDocument), [Problem.ContentType]));
        return builder.WithMetadata([.. metadata]);
    }
}
