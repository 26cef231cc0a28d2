namespace StreamPredict.Serving.Models;

/// <summary>
/// The model a service answers with, swapped atomically on reload: a reader takes <see cref="Current"/> once per request
/// and keeps that reference, so a swap in the middle of a request never mixes two models in one answer.
/// </summary>
public sealed class ModelHolder
{
    private ServedModel? _current;

    /// <summary>Null until the first model is loaded.</summary>
    public ServedModel? Current => Volatile.Read(ref _current);

    public void Swap(ServedModel next)
    {
        ArgumentNullException.ThrowIfNull(next);
        Volatile.Write(ref _current, next);
    }
}
