namespace StreamPredict.Serving.Models;

/// <summary>The model cannot be had: its location is misconfigured, missing or unreachable, or the model was refused.
/// The message names the variable, the path or the S3 object, and the cause.</summary>
public sealed class ModelUnavailableException : Exception
{
    public ModelUnavailableException() { }

    public ModelUnavailableException(string message) : base(message) { }

    public ModelUnavailableException(string message, Exception inner) : base(message, inner) { }
}
