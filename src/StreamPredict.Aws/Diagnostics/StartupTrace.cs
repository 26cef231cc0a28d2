using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace StreamPredict.Aws.Diagnostics;

/// <summary>
/// Phase marks from process start to the first response, for finding where a cold start's time goes. Off unless
/// <see cref="Variable"/> is "1": then each <see cref="Mark"/> keeps the phase's name, the monotonic clock and the
/// process's CPU time (user + system), and the owner writes them out as one log line once the first response is sent.
/// </summary>
/// <remarks>
/// The clock is <see cref="Stopwatch.GetTimestamp"/> (CLOCK_MONOTONIC on Linux), which another process on the same
/// machine reads the same way: `bench coldstart --trace` subtracts its own timestamp taken when it started the
/// process, so the marks also show the runtime's start-up before Main. For a process started by anything else, the
/// line also carries the process start from /proc/self/stat (jiffies since boot, so to 10 ms only).
/// </remarks>
public static class StartupTrace
{
    /// <summary>The environment variable that turns the marks on ("1").</summary>
    public const string Variable = "STREAMPREDICT_STARTUP_TRACE";

    /// <summary>The log line's member holding the marks, for readers of the log.</summary>
    public const string LogMember = "startupTrace";

    private const int MaxMarks = 64;

    private static readonly bool On = Environment.GetEnvironmentVariable(Variable) == "1";
    private static readonly PhaseMark[] Marks = new PhaseMark[On ? MaxMarks : 0];
    private static int _count;
    private static int _written;

    private readonly record struct PhaseMark(string Phase, long Timestamp, TimeSpan Cpu);

    /// <summary>Records that <paramref name="phase"/> was reached now. Thread-safe; a no-op when off, once full, or once written out.</summary>
    public static void Mark(string phase)
    {
        if (!On || Volatile.Read(ref _written) != 0)
        {
            return;
        }

        var timestamp = Stopwatch.GetTimestamp();
        var index = Interlocked.Increment(ref _count) - 1;
        if (index < Marks.Length)
        {
            Marks[index] = new PhaseMark(phase, timestamp, Environment.CpuUsage.TotalTime);
        }
    }

    /// <summary>
    /// Writes the marks as one JSON object (<c>{"startupTrace": {...}}</c>) the first time it is called with the trace
    /// on, and returns false without writing otherwise.
    /// </summary>
    private static bool TryWrite(Utf8JsonWriter writer)
    {
        if (!On || Interlocked.Exchange(ref _written, 1) != 0)
        {
            return false;
        }

        var count = Math.Min(Volatile.Read(ref _count), Marks.Length);
        writer.WriteStartObject();
        writer.WriteStartObject(LogMember);
        writer.WriteString("clock", "monotonic");
        if (ProcessStartMonotonicMs() is { } started)
        {
            writer.WriteNumber("processStartMs", started);
        }

        writer.WriteStartArray("marks");
        for (var i = 0; i < count; i++)
        {
            var mark = Marks[i];
            writer.WriteStartObject();
            writer.WriteString("phase", mark.Phase);
            writer.WriteNumber("ms", Math.Round(mark.Timestamp * 1000.0 / Stopwatch.Frequency, 3));
            writer.WriteNumber("cpuMs", Math.Round(mark.Cpu.TotalMilliseconds, 3));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
        return true;
    }

    /// <summary>The marks as one line on stdout (one write, so it does not interleave with other whole lines), once.</summary>
    public static void WriteToStdout()
    {
        if (!On || Volatile.Read(ref _written) != 0)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (!TryWrite(writer))
            {
                return;
            }
        }

        buffer.Write("\n"u8);
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(buffer.WrittenSpan);
        stdout.Flush();
    }

    /// <summary>
    /// The process's start on the monotonic clock, in ms: /proc/self/stat's starttime (field 22, USER_HZ ticks since
    /// boot; 100 per second on Linux). CLOCK_MONOTONIC also counts from boot, minus any suspend. Null off Linux.
    /// </summary>
    private static double? ProcessStartMonotonicMs()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            // The command name (field 2) is in parentheses and may hold spaces: fields after its ')' start at field 3.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[22 - 3], CultureInfo.InvariantCulture) * 10.0;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
