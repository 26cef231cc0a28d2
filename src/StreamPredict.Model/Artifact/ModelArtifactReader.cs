using System.Text;
using System.Text.Json;

namespace StreamPredict.Model.Artifact;

/// <summary>
/// Reads the "model" member of a streampredict.model/v1 document into a <see cref="ModelArtifact"/> with a plain
/// <see cref="Utf8JsonReader"/>.
/// </summary>
/// <remarks>
/// Why not JsonSerializer: this runs once, at the function's cold start, where the serializer's metadata for these
/// types (~190 generic methods that ReadyToRun cannot precompile) cost ~30 ms of JIT. The rules are the serializer's:
/// member names are exact (snake_case), unknown members are skipped, a repeated member keeps its last value, a JSON
/// null leaves a string, list or object null (CompiledModel names the member that then is missing), numbers must be
/// JSON numbers. Unlike the serializer, a null tree array is refused here rather than failing later without a name.
/// Errors name the member by its path from "model", e.g. model.estimator.trees[3].left[7].
/// </remarks>
internal static class ModelArtifactReader
{
    private const string Root = "model";

    /// <param name="modelJson">The "model" value, already checked to be one well-formed JSON object.</param>
    public static ModelArtifact Read(ReadOnlySpan<byte> modelJson)
    {
        var reader = new Utf8JsonReader(modelJson);
        reader.Read();
        return ReadModel(ref reader) ?? throw Invalid($"{Root} is null");
    }

    private static ModelArtifact? ReadModel(ref Utf8JsonReader reader)
    {
        if (!StartObject(ref reader, Root))
        {
            return null;
        }

        string? name = null;
        string? version = null;
        FeatureSpec? features = null;
        EstimatorSpec? estimator = null;
        TrainingMetadata? training = null;
        var present = new Members(Root);
        while (NextMember(ref reader))
        {
            if (present.Is(ref reader, "name"u8, "name"))
            {
                name = ReadString(ref reader, $"{Root}.name");
            }
            else if (present.Is(ref reader, "version"u8, "version"))
            {
                version = ReadString(ref reader, $"{Root}.version");
            }
            else if (present.Is(ref reader, "features"u8, "features"))
            {
                features = ReadFeatures(ref reader, $"{Root}.features");
            }
            else if (present.Is(ref reader, "estimator"u8, "estimator"))
            {
                estimator = ReadEstimator(ref reader, $"{Root}.estimator");
            }
            else if (present.Is(ref reader, "training"u8, "training"))
            {
                training = ReadTraining(ref reader, $"{Root}.training");
            }
            else
            {
                reader.Skip();
            }
        }

        present.Require("name", "version", "features", "estimator", "training");
        return new ModelArtifact { Name = name!, Version = version!, Features = features!, Estimator = estimator!, Training = training! };
    }

    private static FeatureSpec? ReadFeatures(ref Utf8JsonReader reader, string path)
    {
        if (!StartObject(ref reader, path))
        {
            return null;
        }

        string?[]? columns = null;
        var present = new Members(path);
        while (NextMember(ref reader))
        {
            if (present.Is(ref reader, "columns"u8, "columns"))
            {
                columns = ReadArray(ref reader, $"{path}.columns", allowNull: true, ReadNullableString);
            }
            else
            {
                reader.Skip();
            }
        }

        present.Require("columns");
        return new FeatureSpec { Columns = columns! };
    }

    private static EstimatorSpec? ReadEstimator(ref Utf8JsonReader reader, string path)
    {
        if (!StartObject(ref reader, path))
        {
            return null;
        }

        string? kind = null;
        string? split = null;
        string? aggregation = null;
        double? intercept = null;
        double? baseScore = null;
        double? learningRate = null;
        double[]? weights = null;
        TreeSpec?[]? trees = null;
        var present = new Members(path);
        while (NextMember(ref reader))
        {
            if (present.Is(ref reader, "kind"u8, "kind"))
            {
                kind = ReadString(ref reader, $"{path}.kind");
            }
            else if (reader.ValueTextEquals("intercept"u8))
            {
                intercept = ReadOptionalNumber(ref reader, $"{path}.intercept");
            }
            else if (reader.ValueTextEquals("weights"u8))
            {
                weights = ReadArray(ref reader, $"{path}.weights", allowNull: true, NumberElement);
            }
            else if (reader.ValueTextEquals("split"u8))
            {
                split = ReadString(ref reader, $"{path}.split");
            }
            else if (reader.ValueTextEquals("aggregation"u8))
            {
                aggregation = ReadString(ref reader, $"{path}.aggregation");
            }
            else if (reader.ValueTextEquals("base_score"u8))
            {
                baseScore = ReadOptionalNumber(ref reader, $"{path}.base_score");
            }
            else if (reader.ValueTextEquals("learning_rate"u8))
            {
                learningRate = ReadOptionalNumber(ref reader, $"{path}.learning_rate");
            }
            else if (reader.ValueTextEquals("trees"u8))
            {
                trees = ReadArray(ref reader, $"{path}.trees", allowNull: true, static (ref r, p, i) => ReadTree(ref r, $"{p}[{i}]"));
            }
            else
            {
                reader.Skip();
            }
        }

        present.Require("kind");
        return new EstimatorSpec
        {
            Kind = kind!,
            Intercept = intercept,
            Weights = weights,
            Split = split,
            Aggregation = aggregation,
            BaseScore = baseScore,
            LearningRate = learningRate,
            Trees = trees!,
        };
    }

    /// <summary>A null tree stays null (TreeEnsembleEstimator names it); a tree's arrays may not be null.</summary>
    private static TreeSpec? ReadTree(ref Utf8JsonReader reader, string path)
    {
        if (!StartObject(ref reader, path))
        {
            return null;
        }

        int[]? feature = null;
        double[]? threshold = null;
        int[]? left = null;
        int[]? right = null;
        double[]? value = null;
        int[]?[]? categories = null;
        var present = new Members(path);
        while (NextMember(ref reader))
        {
            if (present.Is(ref reader, "feature"u8, "feature"))
            {
                feature = ReadArray(ref reader, $"{path}.feature", allowNull: false, IntegerElement);
            }
            else if (present.Is(ref reader, "threshold"u8, "threshold"))
            {
                threshold = ReadArray(ref reader, $"{path}.threshold", allowNull: false, NumberElement);
            }
            else if (present.Is(ref reader, "left"u8, "left"))
            {
                left = ReadArray(ref reader, $"{path}.left", allowNull: false, IntegerElement);
            }
            else if (present.Is(ref reader, "right"u8, "right"))
            {
                right = ReadArray(ref reader, $"{path}.right", allowNull: false, IntegerElement);
            }
            else if (present.Is(ref reader, "value"u8, "value"))
            {
                value = ReadArray(ref reader, $"{path}.value", allowNull: false, NumberElement);
            }
            else if (reader.ValueTextEquals("categories"u8))
            {
                // Optional: a tree without categorical splits may leave it out or write null.
                categories = ReadArray(ref reader, $"{path}.categories", allowNull: true, CategoriesElement);
            }
            else
            {
                reader.Skip();
            }
        }

        present.Require("feature", "threshold", "left", "right", "value");
        return new TreeSpec { Feature = feature!, Threshold = threshold!, Left = left!, Right = right!, Value = value!, Categories = categories };
    }

    private static TrainingMetadata? ReadTraining(ref Utf8JsonReader reader, string path)
    {
        if (!StartObject(ref reader, path))
        {
            return null;
        }

        string? producer = null;
        string? source = null;
        string? validationSource = null;
        long? rows = null;
        long? validationRows = null;
        double? trainRmse = null;
        double? validationRmse = null;
        var present = new Members(path);
        while (NextMember(ref reader))
        {
            if (present.Is(ref reader, "producer"u8, "producer"))
            {
                producer = ReadString(ref reader, $"{path}.producer");
            }
            else if (present.Is(ref reader, "source"u8, "source"))
            {
                source = ReadString(ref reader, $"{path}.source");
            }
            else if (reader.ValueTextEquals("rows"u8))
            {
                rows = ReadOptionalLong(ref reader, $"{path}.rows");
            }
            else if (reader.ValueTextEquals("train_rmse"u8))
            {
                trainRmse = ReadOptionalNumber(ref reader, $"{path}.train_rmse");
            }
            else if (reader.ValueTextEquals("validation_source"u8))
            {
                validationSource = ReadString(ref reader, $"{path}.validation_source");
            }
            else if (reader.ValueTextEquals("validation_rows"u8))
            {
                validationRows = ReadOptionalLong(ref reader, $"{path}.validation_rows");
            }
            else if (reader.ValueTextEquals("validation_rmse"u8))
            {
                validationRmse = ReadOptionalNumber(ref reader, $"{path}.validation_rmse");
            }
            else
            {
                reader.Skip();
            }
        }

        present.Require("producer", "source");
        return new TrainingMetadata
        {
            Producer = producer!,
            Source = source!,
            Rows = rows,
            TrainRmse = trainRmse,
            ValidationSource = validationSource,
            ValidationRows = validationRows,
            ValidationRmse = validationRmse,
        };
    }

    /// <summary>Which members an object had, so the missing required ones can be named together.</summary>
    private sealed class Members(string path)
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        /// <summary>True (and remembered) when the current property is <paramref name="utf8Name"/>.</summary>
        public bool Is(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8Name, string name)
        {
            if (!reader.ValueTextEquals(utf8Name))
            {
                return false;
            }

            _seen.Add(name);
            return true;
        }

        public void Require(params ReadOnlySpan<string> names)
        {
            var missing = new StringBuilder();
            foreach (var name in names)
            {
                if (!_seen.Contains(name))
                {
                    missing.Append(missing.Length == 0 ? "\"" : ", \"").Append(name).Append('"');
                }
            }

            if (missing.Length > 0)
            {
                throw Invalid($"{path} has no {missing}");
            }
        }
    }

    /// <summary>Moves onto the value; false for null, throws unless it is an object.</summary>
    private static bool StartObject(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType == JsonTokenType.PropertyName)
        {
            reader.Read();
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return false;
        }

        Expect(ref reader, JsonTokenType.StartObject, path, "an object");
        return true;
    }

    /// <summary>Advances to the next property name of the current object; false at its end.</summary>
    private static bool NextMember(ref Utf8JsonReader reader) => reader.Read() && reader.TokenType == JsonTokenType.PropertyName;

    private static string? ReadString(ref Utf8JsonReader reader, string path)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.String, path, "a string");
        return reader.GetString();
    }

    private delegate T ReadElement<out T>(ref Utf8JsonReader reader, string path, int index);

    /// <summary>
    /// Moves onto the value and reads an array with <paramref name="readElement"/>; null for a JSON null when
    /// <paramref name="allowNull"/> (the compiler names such a missing member), refused otherwise.
    /// </summary>
    /// <remarks>Elements get the array's path and their index, so a path string is only built for an error.</remarks>
    private static T[]? ReadArray<T>(ref Utf8JsonReader reader, string path, bool allowNull, ReadElement<T> readElement)
    {
        reader.Read();
        if (allowNull && reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartArray, path, "an array");
        var values = new T[16];
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (count == values.Length)
            {
                Array.Resize(ref values, count * 2);
            }

            values[count] = readElement(ref reader, path, count);
            count++;
        }

        Array.Resize(ref values, count);
        return values;
    }

    /// <summary>A null column stays null, as the serializer left it: FeatureColumns refuses it by its index.</summary>
    private static string? ReadNullableString(ref Utf8JsonReader reader, string path, int index)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw Invalid($"{path}[{index}] must be a string, found {Text(ref reader)}");
        }

        return reader.GetString();
    }

    /// <summary>One node's categories: null (not a categorical split) or an array of column indices.</summary>
    private static int[]? CategoriesElement(ref Utf8JsonReader reader, string path, int index)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Invalid($"{path}[{index}] must be null or an array of column indices, found {Text(ref reader)}");
        }

        var columns = new List<int>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            columns.Add(reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int column)
                ? column
                : throw Invalid($"{path}[{index}][{columns.Count}] must be a 32-bit integer, found {Text(ref reader)}"));
        }

        return [.. columns];
    }

    private static double NumberElement(ref Utf8JsonReader reader, string path, int index) =>
        IsNumber(ref reader, out var value) ? value : throw Invalid($"{path}[{index}] must be a number, found {Text(ref reader)}");

    private static int IntegerElement(ref Utf8JsonReader reader, string path, int index) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value)
            ? value
            : throw Invalid($"{path}[{index}] must be a 32-bit integer, found {Text(ref reader)}");

    private static double? ReadOptionalNumber(ref Utf8JsonReader reader, string path)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        return IsNumber(ref reader, out var value) ? value : throw Invalid($"{path} must be a number, found {Text(ref reader)}");
    }

    private static long? ReadOptionalLong(ref Utf8JsonReader reader, string path)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.Number, path, "an integer");
        return reader.TryGetInt64(out var value) ? value : throw Invalid($"{path} must be an integer, found {Text(ref reader)}");
    }

    /// <summary>Out-of-range literals such as 1e999 read as ±infinity, as the serializer read them; the estimators refuse non-finite values by name.</summary>
    private static bool IsNumber(ref Utf8JsonReader reader, out double value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out value);
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType expected, string path, string what)
    {
        if (reader.TokenType != expected)
        {
            throw Invalid($"{path} must be {what}, found {Text(ref reader)}");
        }
    }

    /// <summary>The offending value for an error message: the token's text for scalars, its kind otherwise.</summary>
    private static string Text(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null => Encoding.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.String => $"the string \"{reader.GetString()}\"",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => reader.TokenType.ToString(),
    };

    private static ModelLoadException Invalid(string detail) => new($"the \"model\" member is invalid: {detail}");
}
