using System.Diagnostics;
using StreamPredict.Cli.Infrastructure;

namespace StreamPredict.Cli.Bench;

/// <summary>A child process run to its end, its stdout and stderr read whole (both at once, so neither pipe fills and blocks it).</summary>
internal static class ChildProcess
{
    /// <param name="Seconds">Wall time from just before the start to the exit.</param>
    public sealed record Exited(int ExitCode, string Out, string Error, double Seconds);

    /// <param name="cannotStart">The error when the process does not start.</param>
    public static async Task<Exited> RunAsync(ProcessStartInfo startInfo, string cannotStart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(startInfo) ?? throw new CliException(cannotStart);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        return new Exited(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false), seconds);
    }
}
