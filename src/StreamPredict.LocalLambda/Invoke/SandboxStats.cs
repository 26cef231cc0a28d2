namespace StreamPredict.LocalLambda.Invoke;

/// <summary>What a sandbox did; updated only inside its one-at-a-time section, read at the end.</summary>
public sealed class SandboxStats
{
    public int Invocations { get; internal set; }

    public int Responses { get; internal set; }

    public int FunctionErrors { get; internal set; }

    public int InitFailures { get; internal set; }

    public int Timeouts { get; internal set; }

    public int Crashes { get; internal set; }

    /// <summary>Function processes started: 1 while everything goes well.</summary>
    public int Starts { get; internal set; }
}
