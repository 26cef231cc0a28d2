using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StreamPredict.Web.Hosting;
using StreamPredict.Web.Observability;
using StreamPredict.Web.OpenApi;

namespace StreamPredict.Web.Endpoints;

/// <summary>
/// <c>GET /metrics</c> in Prometheus' text format: requests by route and status, a latency histogram per route,
/// predictions, rejected inputs by error_kind, the model's version and load time, and reloads that worked or failed.
/// </summary>
internal static class MetricsApi
{
    public static WebApplication MapMetrics(this WebApplication app)
    {
        var models = app.Services.GetRequiredService<ModelService>();
        var metrics = app.Services.GetRequiredService<ServiceMetrics>();
        app.MapGet("/metrics", context =>
            {
                context.Response.ContentType = PrometheusText.ContentType;
                context.Response.BodyWriter.Write(Encoding.UTF8.GetBytes(Render(metrics, models)));
                return Task.CompletedTask;
            })
            .WithRouteMetrics(metrics, "/metrics")
            .Documented("Prometheus metrics", null, [], null);
        return app;
    }

    internal static string Render(ServiceMetrics metrics, ModelService models)
    {
        var text = new PrometheusText();
        text.Family("streampredict_http_requests_total", "counter", "HTTP requests by route and status code.");
        foreach (var route in metrics.Routes)
        {
            foreach (var (status, count) in route.Statuses())
            {
                text.Sample("streampredict_http_requests_total", count, ("route", route.Route), ("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        text.Family("streampredict_http_request_duration_seconds", "histogram", "Time from the request reaching the service to its answer, by route.");
        foreach (var route in metrics.Routes)
        {
            var (cumulative, count, sum) = route.Histogram();
            if (count == 0)
            {
                continue;
            }

            for (var i = 0; i < cumulative.Length; i++)
            {
                var bound = i < RouteMetrics.BucketBounds.Length ? PrometheusText.Format(RouteMetrics.BucketBounds[i]) : "+Inf";
                text.Sample("streampredict_http_request_duration_seconds_bucket", cumulative[i], ("route", route.Route), ("le", bound));
            }

            text.Sample("streampredict_http_request_duration_seconds_sum", sum, ("route", route.Route));
            text.Sample("streampredict_http_request_duration_seconds_count", count, ("route", route.Route));
        }

        text.Family("streampredict_predictions_total", "counter", "Rides predicted.").Sample("streampredict_predictions_total", metrics.Predictions);
        text.Family("streampredict_rejected_inputs_total", "counter", "Requests refused for their input (4xx), by error_kind.");
        foreach (var (kind, count) in metrics.RejectedByKind)
        {
            text.Sample("streampredict_rejected_inputs_total", count, ("error_kind", kind));
        }

        var model = models.Holder.Current;
        text.Family("streampredict_model_ready", "gauge", "1 once a model is loaded.").Sample("streampredict_model_ready", model is null ? 0 : 1);
        if (model is not null)
        {
            text.Family("streampredict_model_info", "gauge", "The model being served.")
                .Sample("streampredict_model_info", 1, ("name", model.Model.Name), ("version", model.Version), ("kind", model.Model.Kind));
            text.Family("streampredict_model_loaded_timestamp_seconds", "gauge", "When the model being served was loaded (Unix seconds).")
                .Sample("streampredict_model_loaded_timestamp_seconds", model.LoadedAt.ToUnixTimeMilliseconds() / 1000.0);
        }

        text.Family("streampredict_model_reloads_total", "counter", "New models swapped in after the first.")
            .Sample("streampredict_model_reloads_total", models.Reloader?.Reloads ?? 0);
        text.Family("streampredict_model_reload_failures_total", "counter", "Reload checks or loads that failed (the old model kept serving).")
            .Sample("streampredict_model_reload_failures_total", models.Reloader?.Failures ?? 0);
        return text.ToString();
    }
}
