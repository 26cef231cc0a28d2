using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StreamPredict.Serving.Models;
using StreamPredict.Web.Http;
using StreamPredict.Web.OpenApi;
using StreamPredict.Web.Rides;

namespace StreamPredict.Web.Endpoints;

/// <summary>
/// The course's web service (04-deployment/web-service): <c>POST /predict</c> with a ride answers
/// <c>{"duration", "model_version"}</c>; a JSON array of rides answers an array in the same order. A ride event
/// (<c>{"ride": {...}, "ride_id"}</c>) is accepted too, and its ride_id is echoed.
/// </summary>
internal static class CourseApi
{
    public static WebApplication MapCourseApi(this WebApplication app)
    {
        var endpoint = app.Services.GetRequiredService<RideEndpoint>();
        app.MapPost("/predict", context => endpoint.ServeAsync(context, ContentTypes.IsJson, ContentTypes.Json, Read, Write))
            .WithRouteMetrics(endpoint.Metrics, "/predict")
            .Documented("Predict ride durations (the course's contract)", typeof(CourseRide), [ContentTypes.Json], typeof(CoursePrediction));
        return app;
    }

    private static Problem? Read(ReadOnlySpan<byte> body, int maxRides, RideRequest request)
    {
        var problem = RideRequestReader.ReadBody(body, maxRides, request.Rides, out var isBatch);
        request.IsBatch = isBatch;
        return problem;
    }

    private static void Write(Utf8JsonWriter json, ServedModel model, RideRequest request, ReadOnlySpan<double> durations)
    {
        if (request.IsBatch)
        {
            json.WriteStartArray();
        }

        for (var i = 0; i < durations.Length; i++)
        {
            json.WriteStartObject();
            json.WriteNumber("duration"u8, durations[i]);
            json.WriteString("model_version"u8, model.Version);
            if (request.Rides.IdAt(i) is { } rideId)
            {
                json.WritePropertyName("ride_id"u8);
                if (rideId.IsNumber)
                {
                    json.WriteRawValue(rideId.Text, skipInputValidation: true);
                }
                else
                {
                    json.WriteStringValue(rideId.Text);
                }
            }

            json.WriteEndObject();
        }

        if (request.IsBatch)
        {
            json.WriteEndArray();
        }
    }
}
