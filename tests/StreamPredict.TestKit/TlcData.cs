namespace StreamPredict.TestKit;

/// <summary>
/// The full TLC months live outside the repository, in ../shared/data/tlc next to the clone (or any ancestor's
/// shared/data/tlc), or wherever STREAMPREDICT_TLC_DATA points.
/// </summary>
public static class TlcData
{
    public const string Variable = "STREAMPREDICT_TLC_DATA";

    public static string? Folder { get; } = Find();

    public static string File(string name) =>
        Path.Combine(Folder ?? throw new InvalidOperationException($"TLC data not found: set {Variable} or place it in ../shared/data/tlc"), name);

    /// <summary>Null when the data is there or when on CI (CI=true), where missing data must fail rather than skip.</summary>
    public static string? SkipReason =>
        Folder is not null || Ci.IsOn
            ? null
            : $"TLC data not found: set {Variable} or place green_tripdata_*.csv.gz in ../shared/data/tlc";

    private static string? Find()
    {
        string? configured = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(configured))
        {
            return Directory.Exists(configured) ? configured : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data", "tlc");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

[AttributeUsage(AttributeTargets.Method)]
public sealed class TlcDataFactAttribute : FactAttribute
{
    public TlcDataFactAttribute() => Skip = TlcData.SkipReason;
}
