using YamlDotNet.RepresentationModel;

namespace StreamPredict.Tests.Deploy;

/// <summary>The repository's template.yaml as a YAML tree, with the few look-ups the deploy tests need.</summary>
internal sealed class SamTemplate
{
    private SamTemplate(YamlMappingNode root) => Root = root;

    public YamlMappingNode Root { get; }

    public static string RepositoryRoot { get; } = RepositoryPaths.Root;

    public static SamTemplate Load(string? path = null)
    {
        using var reader = new StreamReader(path ?? Path.Combine(RepositoryRoot, "template.yaml"));
        var stream = new YamlStream();
        stream.Load(reader);
        return new SamTemplate((YamlMappingNode)stream.Documents[0].RootNode);
    }

    public IEnumerable<(string LogicalId, YamlNode Resource)> Resources(string type) =>
        Root.Get("Resources").Entries()
            .Where(entry => entry.Value.Find("Type")?.Text() == type)
            .Select(entry => (entry.Key, entry.Value));

    public YamlNode Resource(string logicalId) => Root.Get("Resources").Get(logicalId);

    /// <summary>The stream function (the template also holds the web and batch functions; pick those by logical id).</summary>
    public YamlNode Function => Resource(StreamFunctionId);

    public YamlNode WebFunction => Resource(WebFunctionId);

    public const string StreamFunctionId = "StreamPredictFunction";

    public const string WebFunctionId = "StreamPredictWebFunction";

    public const string BatchFunctionId = "BatchScoringFunction";

    public string ParameterDefault(string name) => Root.Get("Parameters").Get(name).Get("Default").Text();
}

internal static class YamlNodeExtensions
{
    public static YamlNode Get(this YamlNode node, string key) =>
        node.Find(key) ?? throw new KeyNotFoundException($"template.yaml has no '{key}' under the node at {node.Start}");

    public static YamlNode? Find(this YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    public static string Text(this YamlNode node) =>
        node is YamlScalarNode scalar ? scalar.Value ?? "" : throw new InvalidDataException($"Expected a scalar at {node.Start}");

    public static IEnumerable<(string Key, YamlNode Value)> Entries(this YamlNode node) =>
        ((YamlMappingNode)node).Children.Select(pair => (pair.Key.Text(), pair.Value));

    /// <summary>IAM and SAM accept one value or a list in many places (Action, Resource, Statement).</summary>
    public static IEnumerable<YamlNode> OneOrMany(this YamlNode node) =>
        node is YamlSequenceNode sequence ? sequence.Children : [node];

    /// <summary>Every scalar in the subtree, including those inside intrinsics such as Fn::Sub.</summary>
    public static IEnumerable<string> Scalars(this YamlNode node) => node switch
    {
        YamlScalarNode scalar => [scalar.Value ?? ""],
        YamlSequenceNode sequence => sequence.Children.SelectMany(Scalars),
        YamlMappingNode map => map.Children.SelectMany(pair => pair.Key.Scalars().Concat(pair.Value.Scalars())),
        _ => [],
    };

    /// <summary>The logical id a {"Fn::GetAtt": [Id, Arn]} or {"Ref": Id} points at.</summary>
    public static string ReferencedId(this YamlNode node) =>
        node.Find("Fn::GetAtt")?.OneOrMany().First().Text().Split('.')[0]
        ?? node.Find("Ref")?.Text()
        ?? throw new InvalidDataException($"Expected Ref or Fn::GetAtt at {node.Start}");
}
