using System.Globalization;

namespace StreamPredict.Cli.Bench;

/// <summary>
/// CPU time a process has used so far: the sum over its threads of /proc/PID/task/TID/schedstat's first field (time on a
/// CPU, in nanoseconds). /proc/PID/stat's utime + stime alone count in USER_HZ ticks of 10 ms, rounded down, so a
/// NativeAOT start that needs a few ms of CPU read as 0 ms; they do include threads that have ended, which the
/// per-thread sum misses. Both undercount, so the larger is taken.
/// </summary>
internal static class ProcessCpu
{
    /// <summary>Null when /proc is not there (not Linux) or the process has gone.</summary>
    public static double? Milliseconds(int processId)
    {
        try
        {
            var process = $"/proc/{processId.ToString(CultureInfo.InvariantCulture)}";
            return Math.Max(LiveThreadMilliseconds(process), TickMilliseconds(process));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>utime + stime (fields 14 and 15 of /proc/PID/stat), in USER_HZ ticks: 100 per second on every Linux the Lambda and CI images run.</summary>
    private static double TickMilliseconds(string process)
    {
        var stat = File.ReadAllText(Path.Combine(process, "stat"));
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * 10.0;
    }

    /// <summary>The per-thread sum alone, to the nanosecond; internal for its test.</summary>
    internal static double LiveThreadMilliseconds(string process)
    {
        long nanoseconds = 0;
        foreach (var task in Directory.EnumerateDirectories(Path.Combine(process, "task")))
        {
            nanoseconds += ThreadNanoseconds(task);
        }

        return nanoseconds / 1e6;
    }

    private static long ThreadNanoseconds(string task)
    {
        try
        {
            var schedstat = File.ReadAllText(Path.Combine(task, "schedstat"));
            return long.Parse(schedstat.AsSpan(0, schedstat.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is IOException or FormatException or ArgumentOutOfRangeException)
        {
            // The thread ended between listing and reading: its time is lost, a few µs at most for a pool thread.
            return 0;
        }
    }
}
