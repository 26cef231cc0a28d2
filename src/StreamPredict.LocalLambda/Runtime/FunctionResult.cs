using StreamPredict.Aws.Lambda.Client;

namespace StreamPredict.LocalLambda.Runtime;

public enum FunctionResultKind
{
    /// <summary>The function posted /response.</summary>
    Response,

    /// <summary>The function posted /invocation/{id}/error.</summary>
    Error,

    /// <summary>The process exited mid-invocation.</summary>
    Crash,

    /// <summary>No answer by the deadline; the process was stopped, as Lambda stops a timed-out runtime.</summary>
    Timeout,
}

/// <summary>How one invocation ended, with the response body or a description of the failure.</summary>
public sealed record FunctionResult(FunctionResultKind Kind, byte[]? Response, LambdaError? Error, string? Detail)
{
    public bool Succeeded => Kind == FunctionResultKind.Response;

    public string Describe() => Kind switch
    {
        FunctionResultKind.Response => "response",
        FunctionResultKind.Error => $"function error {Error?.ErrorType}: {Error?.ErrorMessage}",
        _ => $"{Kind.ToString().ToLowerInvariant()}: {Detail}",
    };
}
