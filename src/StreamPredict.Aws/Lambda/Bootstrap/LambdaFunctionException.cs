namespace StreamPredict.Aws.Lambda.Bootstrap;

/// <summary>A failure the handler reports to Lambda with its own errorType (e.g. InvalidEvent).</summary>
public sealed class LambdaFunctionException : Exception
{
    public LambdaFunctionException() { }

    public LambdaFunctionException(string message) : base(message) { }

    public LambdaFunctionException(string message, Exception inner) : base(message, inner) { }

    public LambdaFunctionException(string errorType, string message) : base(message) => ErrorType = errorType;

    public string ErrorType { get; } = "FunctionError";
}
