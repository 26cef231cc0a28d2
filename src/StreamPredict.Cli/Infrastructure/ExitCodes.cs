namespace StreamPredict.Cli.Infrastructure;

internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    /// <summary>The shell convention for "ended by SIGINT".</summary>
    public const int Cancelled = 130;
}
