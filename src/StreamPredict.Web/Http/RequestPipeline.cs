using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamPredict.Web.Observability;

namespace StreamPredict.Web.Http;

/// <summary>
/// Around every request: its latency and status go to the route's metrics; an answer of 4xx/5xx with no body (a 405
/// from routing, say) gets problem details; an unexpected exception is logged and answers a 500 problem. Bad input
/// never gets here as an exception: every reader turns it into a 4xx problem.
/// </summary>
internal static partial class RequestPipeline
{
    public static WebApplication UseRequestMetricsAndProblems(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<ServiceMetrics>();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("StreamPredict.Web.Requests");
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context).ConfigureAwait(false);
                var response = context.Response;
                if (response.StatusCode >= 400 && !response.HasStarted && response.ContentType is null && response.ContentLength is null)
                {
                    await new Problem(response.StatusCode, CodeOf(response.StatusCode), $"{context.Request.Method} {context.Request.Path} answers {response.StatusCode}")
                        .WriteAsync(context).ConfigureAwait(false);
                }
            }
#pragma warning disable CA1031 // The last line of defence: log it and answer 500 rather than drop the connection.
            catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
#pragma warning restore CA1031
            {
                LogUnhandled(log, context.Request.Method, context.Request.Path.Value, exception);
                if (!context.Response.HasStarted)
                {
                    context.Response.Clear();
                    await new Problem(StatusCodes.Status500InternalServerError, "internal_error", "the service failed to answer; the error is in its log")
                        .WriteAsync(context).ConfigureAwait(false);
                }
            }
            finally
            {
                var route = context.GetEndpoint()?.Metadata.GetMetadata<RouteMetrics>() ?? metrics.Unmatched;
                route.Record(context.Response.StatusCode, Stopwatch.GetTimestamp() - started);
            }
        });
        return app;
    }

    /// <summary>Any route not mapped answers a 404 problem naming the routes that exist.</summary>
    public static WebApplication MapUnknownRoutes(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<ServiceMetrics>();
        app.MapFallback(context => context.RejectAsync(Problem.NotFound(
            $"no route {context.Request.Method} {context.Request.Path}: try POST /predict, POST /invocations, POST /v2/models/{{name}}/infer, GET /v2/health/ready, GET /metrics or GET /openapi/v1.json"),
            metrics));
        return app;
    }

    private static string CodeOf(int status) => status switch
    {
        404 => "not_found",
        405 => "method_not_allowed",
        _ => "http_" + status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogUnhandled(ILogger log, string method, string? path, Exception exception);
}
