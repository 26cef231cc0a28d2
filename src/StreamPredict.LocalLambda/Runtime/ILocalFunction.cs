namespace StreamPredict.LocalLambda.Runtime;

/// <summary>A function instance the event source mapping invokes: the real process (<see cref="FunctionHost"/>) or a test double.</summary>
public interface ILocalFunction : IAsyncDisposable
{
    bool HasExited { get; }

    Task<FunctionResult> InvokeAsync(ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken);
}
