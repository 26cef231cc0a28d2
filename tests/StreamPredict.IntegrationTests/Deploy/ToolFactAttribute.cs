namespace StreamPredict.IntegrationTests.Deploy;

/// <summary>
/// A fact that needs command-line tools. Without them it is skipped with a message on a developer machine, but runs
/// (and fails, naming the tool) when CI=true, so that CI can never pass by skipping.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools)
    {
        var missing = tools.Where(tool => !Tools.IsOnPath(tool)).ToList();
        if (missing.Count > 0 && !Tools.IsCi)
        {
            Skip = $"needs {string.Join(", ", missing)} on PATH (install them, or set CI=true to make this a failure)";
        }
    }
}
