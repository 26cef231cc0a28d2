using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StreamPredict.Serving.Models;
using StreamPredict.Web.Http;
using StreamPredict.Web.Mlflow;
using StreamPredict.Web.OpenApi;

namespace StreamPredict.Web.Endpoints;

/// <summary>
/// MLflow's scoring server protocol (what `mlflow models serve` answers), so MLflow clients and tools can call this
/// service: <c>POST /invocations</c> (JSON or CSV) answers <c>{"predictions": [...]}</c>. /ping, /health and /version
/// are in <see cref="HealthApi"/>.
/// </summary>
internal static class MlflowApi
{
    public static WebApplication MapMlflowApi(this WebApplication app)
    {
        var endpoint = app.Services.GetRequiredService<RideEndpoint>();
        app.MapPost("/invocations", context => endpoint.ServeAsync(
                context,
                type => ContentTypes.IsJson(type) || ContentTypes.IsCsv(type),
                $"{ContentTypes.Json} or {ContentTypes.Csv}",
                ContentTypes.IsCsv(context.Request.ContentType) ? ReadCsv : ReadJson,
                Write))
            .WithRouteMetrics(endpoint.Metrics, "/invocations")
            .Documented("Score rides with MLflow's scoring protocol", typeof(MlflowRequest), [ContentTypes.Json, ContentTypes.Csv], typeof(MlflowPredictions));
        return app;
    }

    private static Problem? ReadJson(ReadOnlySpan<byte> body, int maxRides, RideRequest request) => MlflowInputReader.Read(body, maxRides, request.Rides);

    private static Problem? ReadCsv(ReadOnlySpan<byte> body, int maxRides, RideRequest request) => CsvRideReader.Read(body, maxRides, request.Rides);

    private static void Write(Utf8JsonWriter json, ServedModel model, RideRequest request, ReadOnlySpan<double> durations)
    {
        json.WriteStartObject();
        json.WriteStartArray("predictions"u8);
        foreach (var duration in durations)
        {
            json.WriteNumberValue(duration);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
