using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace StreamPredict.Web.Http;

/// <summary>
/// What went wrong with a request, as RFC 9457 problem details: the status, a stable code (for bad rides the function's
/// error_kind), what is wrong, and for a ride the field and, in a batch, its index.
/// </summary>
internal sealed record Problem(int Status, string Code, string Detail)
{
    public const string ContentType = "application/problem+json";

    /// <summary>The ride's field at fault (PULocationID, DOLocationID, trip_distance, ride, ride_id), when there is one.</summary>
    public string? Field { get; init; }

    /// <summary>The ride's position in a batch (0-based), when the request held several.</summary>
    public int? Index { get; init; }

    public static Problem NotFound(string detail) => new(StatusCodes.Status404NotFound, "not_found", detail);

    public static Problem UnsupportedMediaType(string? given, string expected) => new(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type",
        $"the body's Content-Type is {(string.IsNullOrEmpty(given) ? "missing" : $"'{given}'")}: send {expected}");

    public static Problem BodyTooLarge(int maxBytes) => new(StatusCodes.Status413PayloadTooLarge, "body_over_cap",
        $"the body is over the cap of {maxBytes} bytes (MAX_REQUEST_BYTES)");

    public static Problem TooManyRides(int maxRides) => new(StatusCodes.Status413PayloadTooLarge, "batch_over_cap",
        $"the batch holds more than {maxRides} rides (MAX_BATCH_RIDES): split it");

    public static Problem ModelNotLoaded() => new(StatusCodes.Status503ServiceUnavailable, "model_not_loaded",
        "the model is not loaded yet: wait for /v2/health/ready");

    /// <summary>A 400 about the request as a whole (not one ride's field).</summary>
    public static Problem BadRequest(string code, string detail, int? index = null) => new(StatusCodes.Status400BadRequest, code, detail) { Index = index };

    public static string TitleOf(int status) => status switch
    {
        400 => "The request's input is invalid",
        404 => "Not found",
        405 => "Method not allowed",
        413 => "The request is too large",
        415 => "Unsupported content type",
        503 => "Service unavailable",
        500 => "Internal error",
        _ => "Request failed",
    };

    /// <summary>Writes the problem as the response; the detail also goes in "error", the member KServe V2 clients read.</summary>
    public Task WriteAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        response.StatusCode = Status;
        response.ContentType = ContentType;
        using var json = new Utf8JsonWriter(response.BodyWriter, JsonOutput.Options);
        json.WriteStartObject();
        json.WriteString("type"u8, "urn:streampredict:problem:" + Code);
        json.WriteString("title"u8, TitleOf(Status));
        json.WriteNumber("status"u8, Status);
        json.WriteString("detail"u8, Detail);
        json.WriteString("instance"u8, context.Request.Path.Value);
        json.WriteString("error_kind"u8, Code);
        if (Field is not null)
        {
            json.WriteString("field"u8, Field);
        }

        if (Index is { } index)
        {
            json.WriteNumber("index"u8, index);
        }

        json.WriteString("error"u8, Index is { } at ? $"ride {at}: {Detail}" : Detail);
        json.WriteEndObject();
        json.Flush();
        return Task.CompletedTask;
    }
}
