namespace StreamPredict.Web.Http;

/// <summary>Media-type checks on Content-Type, ignoring parameters (charset) and case.</summary>
internal static class ContentTypes
{
    public const string Json = "application/json";
    public const string Csv = "text/csv";

    public static bool IsJson(string? contentType) => Is(contentType, Json);

    public static bool IsCsv(string? contentType) => Is(contentType, Csv);

    private static bool Is(string? contentType, string mediaType)
    {
        if (contentType is null)
        {
            return false;
        }

        var span = contentType.AsSpan();
        var semicolon = span.IndexOf(';');
        return (semicolon < 0 ? span : span[..semicolon]).Trim().Equals(mediaType, StringComparison.OrdinalIgnoreCase);
    }
}
