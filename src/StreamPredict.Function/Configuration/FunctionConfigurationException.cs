namespace StreamPredict.Function.Configuration;

/// <summary>The function cannot start: the message names the variable, bucket, key or checksum at fault.</summary>
internal sealed class FunctionConfigurationException : Exception
{
    public FunctionConfigurationException() { }

    public FunctionConfigurationException(string message) : base(message) { }

    public FunctionConfigurationException(string message, Exception inner) : base(message, inner) { }
}
