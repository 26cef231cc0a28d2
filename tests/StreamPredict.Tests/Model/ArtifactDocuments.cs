using System.Security.Cryptography;
using System.Text;

namespace StreamPredict.Tests.Model;

/// <summary>Builds streampredict.model/v1 documents around hand-written model JSON, checksum included.</summary>
internal static class ArtifactDocuments
{
    public static byte[] Wrap(string modelJson, string schema = "streampredict.model/v1")
    {
        string sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(modelJson)));
        return Encoding.UTF8.GetBytes($$"""{"schema":"{{schema}}","sha256":"{{sha}}","model":{{modelJson}}}""");
    }

    public static string ModelJson(string columns, string estimator) =>
        $$$"""{"name":"t","version":"v1","features":{"columns":{{{columns}}}},"estimator":{{{estimator}}},"training":{"producer":"test","source":"hand"}}""";

    public const string TwoColumns = """["PU_DO=130_205","trip_distance"]""";

    /// <summary>A depth-1 stump on trip_distance: &lt;= 2.5 gives 10, otherwise 20.</summary>
    public static string Tree(string feature = "[1,-1,-1]", string left = "[1,-1,-1]", string right = "[2,-1,-1]",
        string threshold = "[2.5,0,0]", string value = "[0,10,20]") =>
        $$"""{"feature":{{feature}},"threshold":{{threshold}},"left":{{left}},"right":{{right}},"value":{{value}}}""";

    public static string Forest(params string[] trees) =>
        $$"""{"kind":"tree_ensemble","split":"<=","aggregation":"mean","trees":[{{string.Join(",", trees)}}]}""";
}
