using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StreamPredict.Web.Hosting;
using StreamPredict.Web.Http;
using StreamPredict.Web.Observability;
using StreamPredict.Web.OpenApi;

namespace StreamPredict.Web.Endpoints;

/// <summary>
/// Liveness and readiness in each protocol's words. Live: the process answers. Ready: a model is loaded (503 until
/// then). KServe V2: /v2/health/live and /v2/health/ready. MLflow: /ping and /health (ready), /version.
/// </summary>
internal static class HealthApi
{
    public static WebApplication MapHealth(this WebApplication app)
    {
        var models = app.Services.GetRequiredService<ModelService>();
        var metrics = app.Services.GetRequiredService<ServiceMetrics>();

        app.MapGet("/v2/health/live", context => InferenceProtocolApi.WriteJsonAsync(context, json => json.WriteBoolean("live"u8, true)))
            .WithRouteMetrics(metrics, "/v2/health/live")
            .Documented("Liveness: the process answers", null, [], typeof(LiveStatus));

        app.MapGet("/v2/health/ready", context =>
            {
                var ready = models.Holder.Current is not null;
                return InferenceProtocolApi.WriteJsonAsync(context, json => json.WriteBoolean("ready"u8, ready), ready ? 200 : 503);
            })
            .WithRouteMetrics(metrics, "/v2/health/ready")
            .Documented("Readiness: 200 once the model is loaded, 503 before", null, [], typeof(ReadyStatus));

        foreach (var path in new[] { "/ping", "/health" })
        {
            app.MapGet(path, context => models.Holder.Current is null
                    ? context.RejectAsync(Problem.ModelNotLoaded(), metrics)
                    : WriteTextAsync(context, "\n"))
                .WithRouteMetrics(metrics, path)
                .Documented("MLflow's health check: 200 once the model is loaded", null, [], null);
        }

        app.MapGet("/version", context => WriteTextAsync(context, ServiceVersion.Text + "\n"))
            .WithRouteMetrics(metrics, "/version")
            .Documented("The service's version", null, [], null);
        return app;
    }

    private static Task WriteTextAsync(HttpContext context, string text)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.BodyWriter.Write(Encoding.UTF8.GetBytes(text));
        return Task.CompletedTask;
    }
}
