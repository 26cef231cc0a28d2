using StreamPredict.LocalLambda.Emulators;

namespace StreamPredict.TestKit;

/// <summary>The clone the tests run from: every test and benchmark finds files through here, never the machine's shared folder.</summary>
public static class RepositoryPaths
{
    /// <summary>The directory holding StreamPredict.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path below the root: <c>RepositoryPaths.File("tests", "StreamPredict.Tests", "TestData", "x")</c>.</summary>
    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A file of the unit tests' committed data (tests/StreamPredict.Tests/TestData).</summary>
    public static string TestData(string relative) => Path.Combine(Root, "tests", "StreamPredict.Tests", "TestData", relative);

    private static string FindRoot() => RepositoryLocator.Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"No StreamPredict.sln above {AppContext.BaseDirectory}; run the tests from a clone of the repository.");
}
