using System.Diagnostics;

namespace StreamPredict.Tests.Model;

/// <summary>Runs the exporter scripts with Debian's python3, which has scikit-learn when python3-sklearn is installed.</summary>
internal static class Sklearn
{
    public const string Python = "/usr/bin/python3";

    public static bool IsAvailable { get; } = Probe("sklearn");

    /// <summary>The course's batch script also needs pandas (Debian's python3-pandas).</summary>
    public static bool HasPandas { get; } = Probe("pandas");

    public static string? PandasSkipReason => SkipUnlessCi(HasPandas, "pandas", "python3-pandas");

    /// <summary>
    /// Null when sklearn tests should run. Without sklearn they are skipped on a developer machine, but on CI
    /// (CI=true) they run and fail, because CI is supposed to have installed python3-sklearn.
    /// </summary>
    public static string? SkipReason => SkipUnlessCi(IsAvailable, "scikit-learn", "python3-sklearn");

    /// <summary>
    /// Null (run) when <paramref name="available"/> or on CI (CI=true), where a missing Debian package must fail the
    /// tests rather than skip them; otherwise the reason to skip.
    /// </summary>
    public static string? SkipUnlessCi(bool available, string module, string package) =>
        available || Ci.IsOn
            ? null
            : $"{module} is not available to {Python}: apt-get install {package}";

    public static string Run(string scriptPath, params string[] arguments)
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException($"{Python} cannot import sklearn: apt-get install python3-sklearn");
        }

        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // sklearn warns about unpickling a 1.0.2 model on 1.2.1; the parity check itself is the proof that it is fine.
        start.ArgumentList.Add("-W");
        start.ArgumentList.Add("ignore");
        start.ArgumentList.Add(scriptPath);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(scriptPath)} exited with {process.ExitCode}: {error.Result}");
        }

        return output;
    }

    /// <summary>Whether Debian's python3 can import <paramref name="module"/>.</summary>
    public static bool Probe(string module)
    {
        try
        {
            using Process process = Process.Start(new ProcessStartInfo(Python, ["-c", "import " + module])
            {
                RedirectStandardError = true,
            })!;
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

/// <summary>A fact that needs scikit-learn; see <see cref="Sklearn.SkipReason"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SklearnFactAttribute : FactAttribute
{
    public SklearnFactAttribute() => Skip = Sklearn.SkipReason;
}

/// <summary>A theory that needs scikit-learn; see <see cref="Sklearn.SkipReason"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SklearnTheoryAttribute : TheoryAttribute
{
    public SklearnTheoryAttribute() => Skip = Sklearn.SkipReason;
}
