using StreamPredict.Aws.Lambda.Client;

namespace StreamPredict.LocalLambda;

/// <summary>The local Lambda platform could not do what was asked: the function would not start or init, an emulator
/// would not start, a stream is missing. The message says which and why.</summary>
public sealed class LocalLambdaException : Exception
{
    public LocalLambdaException() { }

    public LocalLambdaException(string message) : base(message) { }

    public LocalLambdaException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Set when the function's init failed: the error Lambda reports for it (the function's /init/error, or
    /// the platform's Runtime.ExitError or Sandbox.Timedout), for whoever answers the invocation that needed the init.</summary>
    public LambdaError? InitError { get; init; }
}
