using System.Text;
using System.Text.Json;
using StreamPredict.Aws.Lambda.Client;
using StreamPredict.LocalLambda.Invoke;

namespace StreamPredict.Tests.LocalLambda;

public sealed class InvokeAnswerTests
{
    private static readonly LambdaError Error = new("InvalidEvent", "the event is not a Kinesis event", ["at Decode", "at HandleAsync"]);

    private static JsonElement Json(InvokeAnswer answer)
    {
        Assert.Equal("application/json", answer.ContentType);
        using var document = JsonDocument.Parse(answer.Body);
        return document.RootElement.Clone();
    }

    [Theory]
    [InlineData(InvokeApi.Rie)]
    [InlineData(InvokeApi.Lambda)]
    public void A_response_is_the_function_s_payload_as_is(InvokeApi api)
    {
        var payload = """{"batchItemFailures":[]}"""u8.ToArray();

        var answer = InvokeAnswer.For(api, SandboxOutcome.Responded(payload));

        Assert.Equal((200, "application/json", payload), (answer.Status, answer.ContentType, answer.Body));
        Assert.Null(answer.FunctionError);
    }

    [Theory]
    [InlineData(InvokeApi.Rie)]
    [InlineData(InvokeApi.Lambda)]
    public void A_function_error_is_200_with_errorMessage_errorType_stackTrace_and_X_Amz_Function_Error(InvokeApi api)
    {
        var answer = InvokeAnswer.For(api, SandboxOutcome.Failed(SandboxOutcomeKind.FunctionError, Error));

        Assert.Equal(200, answer.Status);
        Assert.Equal("Unhandled", answer.FunctionError);
        var body = Json(answer);
        Assert.Equal("the event is not a Kinesis event", body.GetProperty("errorMessage").GetString());
        Assert.Equal("InvalidEvent", body.GetProperty("errorType").GetString());
        Assert.Equal(["at Decode", "at HandleAsync"], body.GetProperty("stackTrace").EnumerateArray().Select(f => f.GetString()));
    }

    [Theory]
    [InlineData(SandboxOutcomeKind.InitError, InvokeApi.Rie, 502)]
    [InlineData(SandboxOutcomeKind.InitError, InvokeApi.Lambda, 200)]
    [InlineData(SandboxOutcomeKind.Crash, InvokeApi.Rie, 502)]
    [InlineData(SandboxOutcomeKind.Crash, InvokeApi.Lambda, 200)]
    public void Init_failures_and_crashes_are_502_on_the_RIE_path_and_200_on_the_Invoke_API_path(SandboxOutcomeKind kind, InvokeApi api, int status)
    {
        var error = new LambdaError("Runtime.ExitError", "Runtime exited with error: exit status 1", []);

        var answer = InvokeAnswer.For(api, SandboxOutcome.Failed(kind, error));

        Assert.Equal(status, answer.Status);
        Assert.Equal("Unhandled", answer.FunctionError);
        Assert.Equal("Runtime.ExitError", Json(answer).GetProperty("errorType").GetString());
    }

    [Fact]
    public void A_timeout_on_the_RIE_path_is_200_with_the_RIE_s_plain_text()
    {
        var answer = InvokeAnswer.For(InvokeApi.Rie, SandboxOutcome.TimedOut(TimeSpan.FromSeconds(3)));

        Assert.Equal((200, "text/plain; charset=utf-8"), (answer.Status, answer.ContentType));
        Assert.Equal("Task timed out after 3.00 seconds", Encoding.UTF8.GetString(answer.Body));
        Assert.Equal("Unhandled", answer.FunctionError);
    }

    [Fact]
    public void A_timeout_on_the_Invoke_API_path_is_Lambda_s_Sandbox_Timedout_error()
    {
        var answer = InvokeAnswer.For(InvokeApi.Lambda, SandboxOutcome.TimedOut(TimeSpan.FromSeconds(300)));

        Assert.Equal(200, answer.Status);
        Assert.Equal("Unhandled", answer.FunctionError);
        var body = Json(answer);
        Assert.Equal("Sandbox.Timedout", body.GetProperty("errorType").GetString());
        Assert.Equal("Task timed out after 300.00 seconds", body.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public void Refusals_are_SAM_s_service_errors_naming_what_is_wrong()
    {
        var notFound = InvokeAnswer.FunctionNotFound("other", "StreamPredictFunction");
        Assert.Equal((404, "ResourceNotFound"), (notFound.Status, notFound.ServiceErrorType));
        Assert.Equal("User", Json(notFound).GetProperty("Type").GetString());
        Assert.Contains("Function not found: other", Json(notFound).GetProperty("Message").GetString(), StringComparison.Ordinal);

        var tooLarge = InvokeAnswer.RequestTooLarge(InvokeEndpoint.MaxRequestBytes);
        Assert.Equal(413, tooLarge.Status);
        Assert.Contains("6291456 bytes", Json(tooLarge).GetProperty("Message").GetString(), StringComparison.Ordinal);

        var invalid = InvokeAnswer.InvalidRequestContent("'n' is an invalid start of a value");
        Assert.Equal((400, "InvalidRequestContentException"), (invalid.Status, invalid.ServiceErrorType));
        Assert.Equal("Could not parse request body into json: 'n' is an invalid start of a value", Json(invalid).GetProperty("Message").GetString());

        Assert.Equal(405, InvokeAnswer.MethodNotAllowed("GET").Status);
        Assert.Equal(404, InvokeAnswer.PathNotFound("/x").Status);
        Assert.Null(InvokeAnswer.PathNotFound("/x").FunctionError);
    }
}
