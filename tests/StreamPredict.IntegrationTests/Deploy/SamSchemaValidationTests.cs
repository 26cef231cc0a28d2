namespace StreamPredict.IntegrationTests.Deploy;

/// <summary>infra/sam-schema/validate.sh (ajv + AWS's SAM schema) accepts template.yaml and rejects broken copies.</summary>
public class SamSchemaValidationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [ToolFact("bash", "node", "npm")]
    public async Task Template_is_valid_against_the_SAM_schema()
    {
        var result = await ValidateAsync(Path.Combine(Tools.RepositoryRoot, "template.yaml"));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("valid against the SAM schema", result.StdOut, StringComparison.Ordinal);
    }

    [ToolFact("bash", "node", "npm")]
    public async Task An_unknown_function_property_fails_validation()
    {
        var result = await ValidateBrokenCopyAsync("      Handler: bootstrap\n", "      Handler: bootstrap\n      Handlr: bootstrap\n");

        Assert.True(result.ExitCode == 1, result.Output);
        Assert.Contains("/Resources/StreamPredictFunction/Properties: unknown property 'Handlr'", result.StdErr, StringComparison.Ordinal);
    }

    [ToolFact("bash", "node", "npm")]
    public async Task An_unknown_Kinesis_event_property_fails_validation()
    {
        var result = await ValidateBrokenCopyAsync(
            "            BatchSize: { Ref: BatchSize }\n",
            "            BatchSize: { Ref: BatchSize }\n            BatchingWindow: 5\n");

        Assert.True(result.ExitCode == 1, result.Output);
        Assert.Contains("Events/RideEvents/Properties: unknown property 'BatchingWindow'", result.StdErr, StringComparison.Ordinal);
    }

    private static async Task<ToolResult> ValidateBrokenCopyAsync(string anchor, string replacement)
    {
        var template = await File.ReadAllTextAsync(Path.Combine(Tools.RepositoryRoot, "template.yaml"));
        Assert.Contains(anchor, template, StringComparison.Ordinal);
        var broken = Path.Combine(Path.GetTempPath(), $"streampredict-broken-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(broken, template.Replace(anchor, replacement, StringComparison.Ordinal));
        try
        {
            return await ValidateAsync(broken);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    private static Task<ToolResult> ValidateAsync(string template) =>
        Tools.RunAsync("bash", [Path.Combine(Tools.RepositoryRoot, "infra", "sam-schema", "validate.sh"), template], Tools.RepositoryRoot, Timeout);
}
