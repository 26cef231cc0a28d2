namespace StreamPredict.LocalLambda.Emulators;

/// <summary>Finds the repository root (the folder holding StreamPredict.sln): the emulator scripts live in its infra/ folder.</summary>
public static class RepositoryLocator
{
    public const string SolutionFile = "StreamPredict.sln";

    public static string? Find(params string?[] startingPoints)
    {
        foreach (var start in startingPoints)
        {
            for (var directory = start is null ? null : new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
                {
                    return directory.FullName;
                }
            }
        }

        return null;
    }

    public static string Require(string purpose)
    {
        return Find(Environment.CurrentDirectory, AppContext.BaseDirectory) ?? throw new LocalLambdaException(
            $"{purpose} needs a clone of the StreamPredict repository (it runs infra/emulators/start.sh), but no {SolutionFile} was found above " +
            $"'{Environment.CurrentDirectory}'. Run it from inside the clone, or point AWS_ENDPOINT_URL at a running LocalStack to skip starting emulators.");
    }
}
