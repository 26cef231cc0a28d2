namespace StreamPredict.Model;

/// <summary>A model artifact was refused: bad checksum, unknown schema version or invalid structure.</summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException() { }
    public ModelLoadException(string message) : base(message) { }
    public ModelLoadException(string message, Exception inner) : base(message, inner) { }
}
