using StreamPredict.Cli;

namespace StreamPredict.Tests.Cli;

/// <summary>The CLI invoked in process, its stdout and stderr captured: `using static` it for <see cref="Run"/>.</summary>
internal static class CliRun
{
    public static async Task<(int Exit, string Out, string Error)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.InvokeAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
