using System.Diagnostics;
using System.Globalization;

namespace StreamPredict.Cli.Bench;

/// <summary>Peak resident set size (VmHWM in /proc/PID/status; the GC-visible figure elsewhere).</summary>
internal static class PeakRss
{
    public static double OfCurrentProcessMegabytes()
    {
        using var self = Process.GetCurrentProcess();
        return OfProcessMegabytes(self.Id) ?? self.PeakWorkingSet64 / (1024.0 * 1024);
    }

    /// <summary>Null when /proc is not there (not Linux) or the process has gone.</summary>
    public static double? OfProcessMegabytes(int processId)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) / 1024.0;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }
}
