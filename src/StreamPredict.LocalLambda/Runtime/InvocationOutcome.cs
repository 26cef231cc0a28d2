using StreamPredict.Aws.Lambda.Client;

namespace StreamPredict.LocalLambda.Runtime;

/// <summary>How the function answered one invocation: a response body, or an error.</summary>
public sealed record InvocationOutcome(string RequestId, byte[]? Response, LambdaError? Error, string? ErrorTypeHeader)
{
    public bool Succeeded => Error is null;
}
