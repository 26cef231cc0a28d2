using System.Numerics;
using StreamPredict.Model.Formats.Numpy;
using StreamPredict.Model.Formats.Pickle;

namespace StreamPredict.Model.Formats.Sklearn;

/// <summary>
/// A pickled sklearn object and its attribute dict, with typed reads that name the attribute by its path
/// (e.g. "Pipeline.steps[1].estimators_[3].tree_") when it is missing or of the wrong type.
/// </summary>
internal sealed class PickledEstimator
{
    private readonly PickleDict _state;

    private PickledEstimator(PickleObject instance, PickleDict state, string path)
    {
        Instance = instance;
        _state = state;
        Path = path;
    }

    public PickleObject Instance { get; }

    public string Path { get; }

    public string ClassName => Instance.ClassName;

    /// <summary>The sklearn version that wrote the pickle (estimators record it since 0.18), or null.</summary>
    public string? SklearnVersion => _state.TryGet("_sklearn_version", out object? version) ? version as string : null;

    public static PickledEstimator From(object? value, string path) => value switch
    {
        PickleObject { State: PickleDict state } instance => new PickledEstimator(instance, state, path),
        PickleObject instance => throw new ModelLoadException($"{path} ({instance.Type}) has no attribute dict; is it fitted?"),
        _ => throw new ModelLoadException($"{path} is {PickleMachine.Describe(value)}, not a scikit-learn object"),
    };

    public bool Has(string attribute) => _state.TryGet(attribute, out _);

    public object? Get(string attribute) => _state.TryGet(attribute, out object? value)
        ? value
        : throw new ModelLoadException($"{Where(attribute)} is missing; was the {ClassName} fitted before it was pickled?");

    public double Number(string attribute) => Get(attribute) switch
    {
        double number => number,
        long integer => integer,
        BigInteger big => (double)big,
        NumpyArray { Length: 1 } single => single.ToDoubles(Where(attribute))[0],
        var other => throw new ModelLoadException($"{Where(attribute)} is {PickleMachine.Describe(other)}, not a number"),
    };

    public string Text(string attribute) => Get(attribute) as string
        ?? throw new ModelLoadException($"{Where(attribute)} is {PickleMachine.Describe(Get(attribute))}, not a str");

    public NumpyArray Array(string attribute) => Get(attribute) as NumpyArray
        ?? throw new ModelLoadException($"{Where(attribute)} is {PickleMachine.Describe(Get(attribute))}, not a numpy array");

    public List<object?> List(string attribute) => Get(attribute) as List<object?>
        ?? throw new ModelLoadException($"{Where(attribute)} is {PickleMachine.Describe(Get(attribute))}, not a list");

    public string Where(string attribute) => $"{Path}.{attribute}";

    public override string ToString() => $"{Path} ({ClassName})";
}
