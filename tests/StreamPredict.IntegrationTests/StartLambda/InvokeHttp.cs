using System.Collections;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace StreamPredict.IntegrationTests.StartLambda;

/// <summary>What a test sends to start-lambda and reads back, as the course's test_docker.py does it (requests.post(url, json=event)).</summary>
internal static partial class InvokeHttp
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(2) };

    public static string CourseEvent => RepositoryPaths.File("events", "course-ride.json");

    public static string CourseForest => RepositoryPaths.TestData("course-forest.model.json");

    public static async Task<Answer> PostAsync(Uri url, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Http.PostAsync(url, content);
        var text = await response.Content.ReadAsStringAsync();
        var functionError = response.Headers.TryGetValues("X-Amz-Function-Error", out var values) ? values.Single() : null;
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, functionError, text);
    }

    /// <summary>This process's environment without the function's own variables, with <paramref name="variables"/> on top.</summary>
    public static Dictionary<string, string> FunctionEnvironment(params (string Name, string Value)[] variables)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        foreach (var name in FunctionVariables)
        {
            environment.Remove(name);
        }

        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>Variables the function reads that a test machine's shell might hold.</summary>
    public static readonly string[] FunctionVariables =
    [
        "MODEL_LOCATION", "MODEL_BUCKET", "MODEL_KEY", "RUN_ID", "MLFLOW_EXPERIMENT_ID", "TEST_RUN", "PREDICTIONS_STREAM_NAME",
        "REJECTIONS_STREAM_NAME", "AWS_LAMBDA_FUNCTION_TIMEOUT", "KINESIS_ENDPOINT_URL",
    ];

    /// <summary>The function process ids start-lambda announced ("function ready (pid N, …)"), in order.</summary>
    public static List<int> FunctionPids(IEnumerable<string> log)
        => log.Select(line => ReadyLine().Match(line)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    public static async Task SignalAsync(int pid, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.True(kill.ExitCode == 0, $"kill -{signal} {pid} failed");
    }

    public static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"function ready \(pid (\d+)")]
    private static partial Regex ReadyLine();

    internal sealed record Answer(HttpStatusCode Status, string? MediaType, string? FunctionError, string Body)
    {
        public JsonElement Json()
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }

        public override string ToString() => $"{(int)Status} {MediaType} X-Amz-Function-Error={FunctionError}: {Body}";
    }
}
