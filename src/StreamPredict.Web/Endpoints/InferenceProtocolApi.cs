using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StreamPredict.Serving.Models;
using StreamPredict.Serving.Predictions;
using StreamPredict.Web.Hosting;
using StreamPredict.Web.Http;
using StreamPredict.Web.InferenceProtocol;
using StreamPredict.Web.OpenApi;

namespace StreamPredict.Web.Endpoints;

/// <summary>
/// The Open Inference Protocol (KServe V2, REST): server metadata, model metadata and readiness, and inference with the
/// three ride fields as input tensors and <c>duration</c> (FP64) as the output. The model answers to its own name
/// (the artifact's "name") and to the course's, ride_duration_prediction_model. Liveness and readiness are in
/// <see cref="HealthApi"/>.
/// </summary>
internal static class InferenceProtocolApi
{
    public static WebApplication MapInferenceProtocolApi(this WebApplication app)
    {
        var endpoint = app.Services.GetRequiredService<RideEndpoint>();
        var models = app.Services.GetRequiredService<ModelService>();
        var metrics = endpoint.Metrics;

        app.MapGet("/v2", context => WriteJsonAsync(context, json =>
            {
                json.WriteString("name"u8, "streampredict");
                json.WriteString("version"u8, ServiceVersion.Text);
                json.WriteStartArray("extensions"u8);
                json.WriteEndArray();
            }))
            .WithRouteMetrics(metrics, "/v2")
            .Documented("Server metadata (Open Inference Protocol)", null, [], typeof(ServerMetadata));

        app.MapGet("/v2/models/{name}", context => WithModelAsync(context, models, metrics, model => WriteJsonAsync(context, json => WriteMetadata(json, model))))
            .WithRouteMetrics(metrics, "/v2/models/{name}")
            .Documented("Model metadata: versions, input and output tensors", null, [], typeof(ModelMetadata));

        app.MapGet("/v2/models/{name}/ready", context => WithModelAsync(context, models, metrics, model => WriteJsonAsync(context, json =>
            {
                json.WriteString("name"u8, model.Model.Name);
                json.WriteBoolean("ready"u8, true);
            })))
            .WithRouteMetrics(metrics, "/v2/models/{name}/ready")
            .Documented("Model readiness", null, [], typeof(ModelReadiness));

        app.MapPost("/v2/models/{name}/infer", context => WithModelAsync(context, models, metrics,
                _ => endpoint.ServeAsync(context, ContentTypes.IsJson, ContentTypes.Json, Read, Write)))
            .WithRouteMetrics(metrics, "/v2/models/{name}/infer")
            .Documented("Inference with the ride fields as tensors", typeof(InferRequest), [ContentTypes.Json], typeof(InferResponse));
        return app;
    }

    /// <summary>Runs <paramref name="action"/> when the model is loaded and answers to the route's name; 503 or 404 otherwise.</summary>
    private static Task WithModelAsync(HttpContext context, ModelService models, Observability.ServiceMetrics metrics, Func<ServedModel, Task> action)
    {
        var name = context.Request.RouteValues["name"] as string;
        if (models.Holder.Current is not { } model)
        {
            return context.RejectAsync(Problem.ModelNotLoaded(), metrics);
        }

        return name == model.Model.Name || name == PredictionEventWriter.ModelName
            ? action(model)
            : context.RejectAsync(Problem.NotFound($"no model named \"{name}\": this service serves \"{model.Model.Name}\" (also known as \"{PredictionEventWriter.ModelName}\")"), metrics);
    }

    private static void WriteMetadata(Utf8JsonWriter json, ServedModel model)
    {
        json.WriteString("name"u8, model.Model.Name);
        json.WriteStartArray("versions"u8);
        json.WriteStringValue(model.Version);
        json.WriteEndArray();
        json.WriteString("platform"u8, "streampredict_" + model.Model.Kind);
        json.WriteStartArray("inputs"u8);
        foreach (var (name, datatype, _) in InferRequestReader.Inputs)
        {
            WriteTensorMetadata(json, name, datatype);
        }

        json.WriteEndArray();
        json.WriteStartArray("outputs"u8);
        WriteTensorMetadata(json, "duration", "FP64");
        json.WriteEndArray();
    }

    private static void WriteTensorMetadata(Utf8JsonWriter json, string name, string datatype)
    {
        json.WriteStartObject();
        json.WriteString("name"u8, name);
        json.WriteString("datatype"u8, datatype);
        json.WriteStartArray("shape"u8);
        json.WriteNumberValue(-1);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static Problem? Read(ReadOnlySpan<byte> body, int maxRides, RideRequest request)
    {
        var problem = InferRequestReader.Read(body, maxRides, request.Rides, out var id);
        request.Id = id;
        return problem;
    }

    private static void Write(Utf8JsonWriter json, ServedModel model, RideRequest request, ReadOnlySpan<double> durations)
    {
        json.WriteStartObject();
        json.WriteString("model_name"u8, model.Model.Name);
        json.WriteString("model_version"u8, model.Version);
        if (request.Id is { } id)
        {
            json.WriteString("id"u8, id);
        }

        json.WriteStartArray("outputs"u8);
        json.WriteStartObject();
        json.WriteString("name"u8, "duration");
        json.WriteString("datatype"u8, "FP64");
        json.WriteStartArray("shape"u8);
        json.WriteNumberValue(durations.Length);
        json.WriteEndArray();
        json.WriteStartArray("data"u8);
        foreach (var duration in durations)
        {
            json.WriteNumberValue(duration);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>A small JSON object answer, written by hand (no serializer metadata).</summary>
    internal static Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> members, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentTypes.Json;
        using var json = new Utf8JsonWriter(context.Response.BodyWriter, JsonOutput.Options);
        json.WriteStartObject();
        members(json);
        json.WriteEndObject();
        json.Flush();
        return Task.CompletedTask;
    }
}
