using System.Globalization;
using StreamPredict.Aws.Lambda.Client;

namespace StreamPredict.LocalLambda.Invoke;

public enum SandboxOutcomeKind
{
    /// <summary>The function posted a response.</summary>
    Response,

    /// <summary>The function posted an invocation error.</summary>
    FunctionError,

    /// <summary>The function's init failed (its /init/error, an exit during init, or no init in time).</summary>
    InitError,

    /// <summary>No answer within AWS_LAMBDA_FUNCTION_TIMEOUT; the process was stopped.</summary>
    Timeout,

    /// <summary>The process exited mid-invocation.</summary>
    Crash,
}

/// <summary>How one invocation through the sandbox ended: the response body, or the error Lambda reports.</summary>
public sealed record SandboxOutcome(SandboxOutcomeKind Kind, byte[]? Response, LambdaError? Error)
{
    public static SandboxOutcome Responded(byte[] response) => new(SandboxOutcomeKind.Response, response, null);

    public static SandboxOutcome Failed(SandboxOutcomeKind kind, LambdaError error) => new(kind, null, error);

    /// <summary>Lambda's words for a timeout ("Task timed out after 3.00 seconds"), which the RIE answers as they are.</summary>
    public static SandboxOutcome TimedOut(TimeSpan timeout) => Failed(SandboxOutcomeKind.Timeout,
        new LambdaError("Sandbox.Timedout", string.Create(CultureInfo.InvariantCulture, $"Task timed out after {timeout.TotalSeconds:0.00} seconds"), []));

    public string Describe() => Kind == SandboxOutcomeKind.Response ? "response" : $"{Error?.ErrorType}: {Error?.ErrorMessage}";
}
