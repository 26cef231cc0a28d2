using System.Net.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using StreamPredict.Web.Http;

namespace StreamPredict.Web.OpenApi;

/// <summary>
/// Adds an operation for every endpoint that carries <see cref="OperationDoc"/>. The endpoints are plain request
/// delegates (they read and write JSON by hand), which ASP.NET's API explorer does not describe by itself; the schemas
/// come from the source-generated <see cref="WebJsonContext"/>, so this works under NativeAOT.
/// </summary>
internal sealed class EndpointOperations : IOpenApiDocumentTransformer
{
    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(context);
        document.Paths ??= [];
        var endpoints = context.ApplicationServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Metadata.GetMetadata<OperationDoc>() is not { } doc || endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not { } methods)
            {
                continue;
            }

            var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (!document.Paths.TryGetValue(path, out var item) || item is not OpenApiPathItem pathItem)
            {
                pathItem = new OpenApiPathItem();
                document.Paths[path] = pathItem;
            }

            var operation = new OpenApiOperation { Summary = doc.Summary, Responses = [] };
            foreach (var parameter in endpoint.RoutePattern.Parameters)
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = parameter.Name,
                    In = ParameterLocation.Path,
                    Required = true,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
            }

            if (doc.RequestType is not null)
            {
                var schema = await context.GetOrCreateSchemaAsync(doc.RequestType, null, cancellationToken).ConfigureAwait(false);
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = doc.RequestContentTypes.ToDictionary(type => type, _ => new OpenApiMediaType { Schema = schema }),
                };
                foreach (var (status, description) in new[] { ("400", "Invalid input: the problem names the field and, in a batch, the index"), ("413", "Body or batch over the cap"), ("415", "Wrong Content-Type") })
                {
                    operation.Responses[status] = await ProblemAsync(context, description, cancellationToken).ConfigureAwait(false);
                }
            }

            operation.Responses["200"] = new OpenApiResponse
            {
                Description = "OK",
                Content = doc.ResponseType is null
                    ? new Dictionary<string, OpenApiMediaType> { ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } }
                    : new Dictionary<string, OpenApiMediaType> { [ContentTypes.Json] = new() { Schema = await context.GetOrCreateSchemaAsync(doc.ResponseType, null, cancellationToken).ConfigureAwait(false) } },
            };
            operation.Responses["503"] = await ProblemAsync(context, "The model is not loaded yet", cancellationToken).ConfigureAwait(false);
            foreach (var method in methods.HttpMethods)
            {
                pathItem.AddOperation(HttpMethod.Parse(method), operation);
            }
        }
    }

    private static async Task<OpenApiResponse> ProblemAsync(OpenApiDocumentTransformerContext context, string description, CancellationToken cancellationToken) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            [Problem.ContentType] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(ProblemDocument), null, cancellationToken).ConfigureAwait(false) },
        },
    };
}
