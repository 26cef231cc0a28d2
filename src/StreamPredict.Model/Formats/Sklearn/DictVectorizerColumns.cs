using StreamPredict.Model.Formats.Pickle;
using StreamPredict.Model.Inference;

namespace StreamPredict.Model.Formats.Sklearn;

/// <summary>
/// A fitted DictVectorizer's columns in our artifact's naming. Our feature columns are the course's: the one-hot
/// "PU_DO={PU}_{DO}" pairs and the numeric "trip_distance". Any other feature (PULocationID and DOLocationID as
/// separate keys, extra numeric inputs, non-numeric zone ids) would need a different feature pipeline in the
/// engine, so it is refused with its name rather than silently dropped.
/// </summary>
internal sealed record DictVectorizerColumns(IReadOnlyList<string> Columns, bool Sparse, string? SklearnVersion)
{
    private const string CategoryKey = "PU_DO";
    private const int NamesShown = 5;

    public static bool IsDictVectorizer(object? value) => value is PickleObject { ClassName: "DictVectorizer" };

    public static DictVectorizerColumns Read(object? value, string path)
    {
        PickledEstimator vectorizer = PickledEstimator.From(value, path);
        if (vectorizer.ClassName != "DictVectorizer")
        {
            throw new ModelLoadException($"{vectorizer} is not a DictVectorizer");
        }

        string separator = vectorizer.Has("separator") ? vectorizer.Text("separator") : "=";
        bool sparse = !vectorizer.Has("sparse") || vectorizer.Get("sparse") is not false;
        List<object?> names = vectorizer.List("feature_names_");
        var columns = new List<string>(names.Count);
        var unsupported = new List<string>();
        string prefix = CategoryKey + separator;
        for (int i = 0; i < names.Count; i++)
        {
            if (names[i] is not string name)
            {
                throw new ModelLoadException($"{vectorizer.Where("feature_names_")}[{i}] is {PickleMachine.Describe(names[i])}, not a str");
            }

            if (name == FeatureColumns.DistanceColumn)
            {
                columns.Add(name);
            }
            else if (name.StartsWith(prefix, StringComparison.Ordinal) && IsPair(name.AsSpan(prefix.Length)))
            {
                columns.Add(FeatureColumns.CategoryPrefix + name[prefix.Length..]);
            }
            else
            {
                unsupported.Add(name);
            }
        }

        if (unsupported.Count > 0)
        {
            string shown = string.Join(", ", unsupported.Take(NamesShown).Select(n => $"'{n}'"));
            string more = unsupported.Count > NamesShown ? $" and {unsupported.Count - NamesShown} more" : "";
            throw new ModelLoadException(
                $"the DictVectorizer ({path}) has features this model format cannot express: {shown}{more}; supported are the one-hot '{CategoryKey}{separator}<PU>_<DO>' and the numeric '{FeatureColumns.DistanceColumn}', as the course builds them");
        }

        return new DictVectorizerColumns(columns, sparse, vectorizer.SklearnVersion);
    }

    private static bool IsPair(ReadOnlySpan<char> value)
    {
        int separator = value.IndexOf('_');
        return separator > 0 && separator < value.Length - 1
            && value[..separator].ContainsOnlyDigits() && value[(separator + 1)..].ContainsOnlyDigits();
    }
}

internal static class DigitSpans
{
    public static bool ContainsOnlyDigits(this ReadOnlySpan<char> value) => !value.ContainsAnyExceptInRange('0', '9');
}
