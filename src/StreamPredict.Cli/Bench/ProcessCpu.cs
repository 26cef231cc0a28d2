using System.Globalization;

namespace StreamPredict.Cli.Bench;

/// <summary>CPU time a process has used so far, from /proc/PID/stat (utime + stime, fields 14 and 15).</summary>
internal static class ProcessCpu
{
    // USER_HZ is 100 on every Linux the Lambda and CI images run.
    private const double ClockTicksPerSecond = 100;

    /// <summary>Null when /proc is not there (not Linux) or the process has gone.</summary>
    public static double? Milliseconds(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return ticks * 1000.0 / ClockTicksPerSecond;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
