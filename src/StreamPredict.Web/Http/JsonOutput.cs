using System.Text.Encodings.Web;
using System.Text.Json;

namespace StreamPredict.Web.Http;

/// <summary>How every answer is written: JSON for programs, not HTML, so quotes and non-ASCII text stay as they are.</summary>
internal static class JsonOutput
{
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
