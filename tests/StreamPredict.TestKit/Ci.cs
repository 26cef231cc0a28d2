namespace StreamPredict.TestKit;

/// <summary>Whether the tests run on CI (CI=true), where a missing tool or data set must fail a test rather than skip it.</summary>
public static class Ci
{
    public static bool IsOn => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
