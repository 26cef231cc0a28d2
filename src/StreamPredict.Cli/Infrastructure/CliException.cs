namespace StreamPredict.Cli.Infrastructure;

/// <summary>A failure the user can act on; its message is printed as is, without a stack trace.</summary>
internal sealed class CliException : Exception
{
    public CliException() { }

    public CliException(string message) : base(message) { }

    public CliException(string message, Exception innerException) : base(message, innerException) { }
}
