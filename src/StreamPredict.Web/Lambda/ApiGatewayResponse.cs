using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Net.Http.Headers;

namespace StreamPredict.Web.Lambda;

/// <summary>
/// Writes the HTTP API's response (payload format 2.0): <c>{"statusCode", "headers", "cookies", "body",
/// "isBase64Encoded"}</c>. Text bodies go as they are; a body that is not UTF-8 goes base64-encoded.
/// </summary>
internal static class ApiGatewayResponse
{
    public static void Write(IBufferWriter<byte> output, InvocationResponseFeature response)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var json = new Utf8JsonWriter(output, Http.JsonOutput.Options);
        json.WriteStartObject();
        json.WriteNumber("statusCode"u8, response.StatusCode);
        json.WriteStartObject("headers"u8);
        foreach (var (name, values) in response.Headers)
        {
            if (!string.Equals(name, HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase))
            {
                json.WriteString(name, values.ToString());
            }
        }

        json.WriteEndObject();
        if (response.Headers.TryGetValue(HeaderNames.SetCookie, out var cookies))
        {
            json.WriteStartArray("cookies"u8);
            foreach (var cookie in cookies)
            {
                json.WriteStringValue(cookie);
            }

            json.WriteEndArray();
        }

        var body = response.Written;
        var isText = Utf8.IsValid(body);
        if (isText)
        {
            json.WriteString("body"u8, body);
        }
        else
        {
            json.WriteBase64String("body"u8, body);
        }

        json.WriteBoolean("isBase64Encoded"u8, !isText);
        json.WriteEndObject();
    }
}
