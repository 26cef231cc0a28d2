namespace StreamPredict.LocalLambda;

/// <summary>The local Lambda platform could not do what was asked: the function would not start or init, an emulator
/// would not start, a stream is missing. The message says which and why.</summary>
public sealed class LocalLambdaException : Exception
{
    public LocalLambdaException() { }

    public LocalLambdaException(string message) : base(message) { }

    public LocalLambdaException(string message, Exception inner) : base(message, inner) { }
}
