using System.Globalization;
using System.Text.Json;

namespace StreamPredict.Model.Formats.Xgboost;

/// <summary>One gbtree tree as XGBoost saves it: a node goes left when x &lt; split_condition, a missing x follows default_left, and a leaf's output is its split_condition.</summary>
internal sealed record XgboostTree(int[] Left, int[] Right, int[] SplitIndex, float[] SplitCondition, bool[] DefaultLeft);

/// <summary>
/// The parts of an XGBoost JSON model (schema of XGBoost 1.x and 2.x) that prediction needs: a gbtree booster for a
/// single-target regression objective with an identity link, its base_score and its trees. A prediction is
/// base_score + the sum of one leaf per tree (the learning rate is already in the leaves).
/// </summary>
internal sealed record XgboostBooster(float BaseScore, int FeatureCount, string Objective, string Version, IReadOnlyList<XgboostTree> Trees)
{
    private static readonly string[] IdentityObjectives = ["reg:squarederror", "reg:linear", "reg:pseudohubererror", "reg:absoluteerror"];

    public static XgboostBooster Read(ReadOnlyMemory<byte> json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            return Read(document.RootElement);
        }
        catch (JsonException exception)
        {
            throw new ModelLoadException($"XGBoost JSON model: not valid JSON: {exception.Message}", exception);
        }
    }

    private static XgboostBooster Read(JsonElement root)
    {
        JsonElement learner = Member(root, "learner", "the model");
        string version = Optional(root, "version") is { ValueKind: JsonValueKind.Array } v
            ? string.Join('.', v.EnumerateArray().Select(part => part.ToString()))
            : "unknown";
        string objective = Text(Member(learner, "objective", "learner"), "name", "learner.objective");
        if (!IdentityObjectives.Contains(objective))
        {
            throw new ModelLoadException(
                $"XGBoost JSON model: the objective '{objective}' is not supported; a ride duration needs a regression with an identity link ({string.Join(", ", IdentityObjectives)})");
        }

        JsonElement parameters = Member(learner, "learner_model_param", "learner");
        if (Optional(parameters, "num_target") is { } targets && NumberText(targets, "num_target") is not "1")
        {
            throw new ModelLoadException($"XGBoost JSON model: {targets} targets; only single-target models are supported");
        }

        float baseScore = ParseBaseScore(Member(parameters, "base_score", "learner.learner_model_param"));
        int features = int.TryParse(NumberText(Member(parameters, "num_feature", "learner.learner_model_param"), "num_feature"),
            NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n
            : throw new ModelLoadException("XGBoost JSON model: learner_model_param.num_feature is not a count");

        JsonElement booster = Member(learner, "gradient_booster", "learner");
        string kind = Text(booster, "name", "learner.gradient_booster");
        if (kind != "gbtree")
        {
            throw new ModelLoadException($"XGBoost JSON model: the '{kind}' booster is not supported; only gbtree is");
        }

        JsonElement trees = ArrayMember(Member(booster, "model", "learner.gradient_booster"), "trees", "learner.gradient_booster.model");
        var result = new List<XgboostTree>(trees.GetArrayLength());
        int index = 0;
        foreach (JsonElement tree in trees.EnumerateArray())
        {
            result.Add(ReadTree(tree, $"trees[{index++}]"));
        }

        return new XgboostBooster(baseScore, features, objective, version, result);
    }

    private static XgboostTree ReadTree(JsonElement tree, string where)
    {
        int[] left = Integers(tree, "left_children", where);
        int[] right = Integers(tree, "right_children", where);
        int[] split = Integers(tree, "split_indices", where);
        float[] conditions = Floats(tree, "split_conditions", where);
        bool[] defaultLeft = Integers(tree, "default_left", where).Select(flag => flag != 0).ToArray();
        int count = left.Length;
        if (right.Length != count || split.Length != count || conditions.Length != count || defaultLeft.Length != count)
        {
            throw new ModelLoadException($"XGBoost JSON model: {where} has node arrays of different lengths");
        }

        if (Optional(tree, "split_type") is { ValueKind: JsonValueKind.Array } && Integers(tree, "split_type", where).Any(type => type != 0))
        {
            throw new ModelLoadException($"XGBoost JSON model: {where} has categorical splits, which are not supported");
        }

        return new XgboostTree(left, right, split, conditions, defaultLeft);
    }

    private static int[] Integers(JsonElement tree, string name, string where)
    {
        JsonElement array = ArrayMember(tree, name, where);
        int[] values = new int[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            values[i] = item.ValueKind switch
            {
                JsonValueKind.True => 1,
                JsonValueKind.False => 0,
                JsonValueKind.Number when item.TryGetInt32(out int value) => value,
                _ => throw new ModelLoadException($"XGBoost JSON model: {where}.{name}[{i}] is {item.ValueKind}, not an integer"),
            };
            i++;
        }

        return values;
    }

    private static float[] Floats(JsonElement tree, string name, string where)
    {
        JsonElement array = ArrayMember(tree, name, where);
        float[] values = new float[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            // Parsed straight to float32 (not via double), so the text XGBoost wrote gives back its exact float.
            values[i] = item.ValueKind == JsonValueKind.Number && item.TryGetSingle(out float value) && float.IsFinite(value) ? value
                : throw new ModelLoadException($"XGBoost JSON model: {where}.{name}[{i}] is not a finite number");
            i++;
        }

        return values;
    }

    // "5E-1" in XGBoost 1.x; "[2.1E1]" (a one-element vector as text) in 2.x.
    private static float ParseBaseScore(JsonElement element)
    {
        string text = NumberText(element, "base_score").Trim('[', ']');
        return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float score) && float.IsFinite(score)
            ? score
            : throw new ModelLoadException($"XGBoost JSON model: base_score '{element}' is not a single finite number");
    }

    private static string NumberText(JsonElement element, string name) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Number => element.GetRawText(),
        _ => throw new ModelLoadException($"XGBoost JSON model: {name} is {element.ValueKind}, not a number"),
    };

    private static JsonElement ArrayMember(JsonElement parent, string name, string where)
    {
        JsonElement member = Member(parent, name, where);
        return member.ValueKind == JsonValueKind.Array ? member
            : throw new ModelLoadException($"XGBoost JSON model: {where}.{name} is {member.ValueKind}, not an array");
    }

    private static string Text(JsonElement parent, string name, string where) => Member(parent, name, where) is { ValueKind: JsonValueKind.String } text
        ? text.GetString()!
        : throw new ModelLoadException($"XGBoost JSON model: {where}.{name} is not a string");

    private static JsonElement? Optional(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out JsonElement member) ? member : null;

    private static JsonElement Member(JsonElement parent, string name, string where) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out JsonElement member) ? member
            : throw new ModelLoadException($"XGBoost JSON model: {where} has no \"{name}\"");
}
