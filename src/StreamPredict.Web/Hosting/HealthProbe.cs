namespace StreamPredict.Web.Hosting;

/// <summary>
/// <c>streampredict-web --health-check [URL]</c>: one GET of the readiness endpoint, exit 0 when it answers 200. The
/// container's HEALTHCHECK runs it, because a minimal image has no curl.
/// </summary>
internal static class HealthProbe
{
    public const string Flag = "--health-check";
    public const string DefaultUrl = "http://127.0.0.1:9696/v2/health/ready";

    public static bool IsRequested(string[] args) => args is [Flag, ..];

    public static async Task<int> RunAsync(string[] args)
    {
        var url = args.Length > 1 ? args[1] : DefaultUrl;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync(new Uri(url)).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"{url}: {(int)response.StatusCode}").ConfigureAwait(false);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            await Console.Error.WriteLineAsync($"{url}: {exception.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
