using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace StreamPredict.LocalLambda.Invoke;

/// <summary>
/// One HTTP answer of the invoke endpoint, as the tool the caller is using gives it.
/// </summary>
/// <remarks>
/// <para>The RIE answers a function error 200 with the error body; an init failure and a crash 502 with the error
/// body; a timeout 200 with the text "Task timed out after N.00 seconds". <c>sam local start-lambda</c> (and Lambda's
/// Invoke API) answer every function failure 200 with the error as JSON.</para>
/// <para>Every function failure also carries <c>X-Amz-Function-Error: Unhandled</c>, as Lambda and SAM send it; the RIE
/// alone omits it (aws-lambda-runtime-interface-emulator issue 20), and a client checking for it should not miss it here.</para>
/// <para>Requests the endpoint refuses get SAM's service errors: <c>{"Type": …, "Message": …}</c> with <c>x-amzn-ErrorType</c>.</para>
/// </remarks>
public sealed record InvokeAnswer(int Status, string ContentType, byte[] Body)
{
    public const string FunctionErrorHeader = "X-Amz-Function-Error";
    public const string ServiceErrorTypeHeader = "x-amzn-ErrorType";
    private const string Json = "application/json";

    /// <summary><c>Unhandled</c> on every function failure.</summary>
    public string? FunctionError { get; init; }

    /// <summary>Set on the endpoint's own refusals (SAM's x-amzn-ErrorType).</summary>
    public string? ServiceErrorType { get; init; }

    public static InvokeAnswer For(InvokeApi api, SandboxOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Kind == SandboxOutcomeKind.Response)
        {
            return new InvokeAnswer(200, Json, outcome.Response ?? []);
        }

        var error = outcome.Error ?? throw new ArgumentException("A failed outcome carries its error.", nameof(outcome));
        if (api == InvokeApi.Rie && outcome.Kind == SandboxOutcomeKind.Timeout)
        {
            return new InvokeAnswer(200, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(error.ErrorMessage)) { FunctionError = "Unhandled" };
        }

        var status = api == InvokeApi.Rie && outcome.Kind is SandboxOutcomeKind.InitError or SandboxOutcomeKind.Crash ? 502 : 200;
        return new InvokeAnswer(status, Json, error.ToUtf8Json()) { FunctionError = "Unhandled" };
    }

    public static InvokeAnswer FunctionNotFound(string name, string functionName)
        => Service(404, "ResourceNotFound", "User", $"Function not found: {name} (this endpoint serves '{functionName}', and '{InvokeRoute.RieFunctionName}' as the RIE does)");

    public static InvokeAnswer PathNotFound(string path)
        => Service(404, "LocalServiceException", "LocalService", $"PathNotFoundException: {path} (POST to {InvokeRoute.PathFor(InvokeRoute.RieFunctionName)})");

    public static InvokeAnswer MethodNotAllowed(string method)
        => Service(405, "LocalServiceException", "LocalService", $"MethodNotAllowedException: {method} (invocations are POST)");

    public static InvokeAnswer RequestTooLarge(long limit)
        => Service(413, "RequestEntityTooLargeException", "User", $"Request must be smaller than {limit} bytes for the InvokeFunction operation");

    public static InvokeAnswer InvalidRequestContent(string problem)
        => Service(400, "InvalidRequestContentException", "User", $"Could not parse request body into json: {problem}");

    public static InvokeAnswer ShuttingDown()
        => Service(503, "ServiceException", "Service", "start-lambda is stopping");

    private static InvokeAnswer Service(int status, string errorType, string type, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        // Relaxed escaping: the messages quote names ('x'), and a person reads them.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("Type", type);
            writer.WriteString("Message", message);
            writer.WriteEndObject();
        }

        return new InvokeAnswer(status, Json, buffer.WrittenSpan.ToArray()) { ServiceErrorType = errorType };
    }
}
