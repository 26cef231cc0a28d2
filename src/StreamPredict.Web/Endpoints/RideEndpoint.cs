using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using StreamPredict.Serving.Models;
using StreamPredict.Web.Hosting;
using StreamPredict.Web.Http;
using StreamPredict.Web.Observability;
using StreamPredict.Web.Rides;

namespace StreamPredict.Web.Endpoints;

/// <summary>What a protocol read from a request body: the rides, and what its answer must echo.</summary>
internal sealed class RideRequest : IDisposable
{
    public RideList Rides { get; } = new();

    /// <summary>The body was a list (answer with a list), not one ride.</summary>
    public bool IsBatch { get; set; }

    /// <summary>The request's id (KServe), echoed in the answer.</summary>
    public string? Id { get; set; }

    public void Dispose() => Rides.Dispose();
}

/// <summary>Reads a protocol's body into <paramref name="request"/>; a problem when the input is refused.</summary>
internal delegate Problem? RideBodyReader(ReadOnlySpan<byte> body, int maxRides, RideRequest request);

/// <summary>Writes a protocol's answer for the durations predicted by <paramref name="model"/>.</summary>
internal delegate void PredictionWriter(Utf8JsonWriter json, ServedModel model, RideRequest request, ReadOnlySpan<double> durations);

/// <summary>
/// The path every predicting endpoint shares: content type (415), body cap (413), the model (503 until loaded), the
/// protocol's reader (400 naming the field and index), one model for the whole request, and the protocol's writer.
/// Every answer names the version that computed it (X-Model-Version, and the body where the protocol has a place).
/// </summary>
internal sealed class RideEndpoint(ModelService models, WebSettings settings, ServiceMetrics metrics)
{
    public const string VersionHeader = "X-Model-Version";

    public ServiceMetrics Metrics => metrics;

    public async Task ServeAsync(HttpContext context, Func<string?, bool> acceptsContentType, string accepted, RideBodyReader read, PredictionWriter write)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!acceptsContentType(context.Request.ContentType))
        {
            await context.RejectAsync(Problem.UnsupportedMediaType(context.Request.ContentType, accepted), metrics).ConfigureAwait(false);
            return;
        }

        using var body = await RequestBody.ReadAsync(context.Request, settings.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await context.RejectAsync(Problem.BodyTooLarge(settings.MaxBodyBytes), metrics).ConfigureAwait(false);
            return;
        }

        // Read once: a reload swapping the model during this request does not change the model that answers it.
        if (models.Holder.Current is not { } model)
        {
            await context.RejectAsync(Problem.ModelNotLoaded(), metrics).ConfigureAwait(false);
            return;
        }

        using var request = new RideRequest();
        if (read(body.Span, settings.MaxBatchRides, request) is { } problem)
        {
            await context.RejectAsync(problem, metrics).ConfigureAwait(false);
            return;
        }

        var count = request.Rides.Count;
        var durations = ArrayPool<double>.Shared.Rent(count);
        try
        {
            model.Model.PredictBatch(request.Rides.Rides, durations.AsSpan(0, count));
            metrics.Predicted(count);
            var response = context.Response;
            response.ContentType = ContentTypes.Json;
            if (Ascii.IsValid(model.Version))
            {
                response.Headers[VersionHeader] = model.Version;
            }

            using var json = new Utf8JsonWriter(response.BodyWriter, JsonOutput.Options);
            write(json, model, request, durations.AsSpan(0, count));
            json.Flush();
        }
        finally
        {
            ArrayPool<double>.Shared.Return(durations);
        }
    }
}
