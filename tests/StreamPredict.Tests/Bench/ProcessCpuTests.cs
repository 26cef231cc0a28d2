using System.Diagnostics;
using StreamPredict.Cli.Bench;

namespace StreamPredict.Tests.Bench;

public class ProcessCpuTests
{
    [Fact]
    public void CPU_spent_on_a_thread_shows_in_the_process_total_finer_than_a_10_ms_tick()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var before = ProcessCpu.Milliseconds(Environment.ProcessId)!.Value;
        var spin = Stopwatch.StartNew();
        var thread = Process.GetCurrentProcess().TotalProcessorTime;
        while ((Process.GetCurrentProcess().TotalProcessorTime - thread).TotalMilliseconds < 30 && spin.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.SpinWait(1000);
        }

        var after = ProcessCpu.Milliseconds(Environment.ProcessId)!.Value;

        Assert.InRange(after - before, 25, 5_000);
        // The per-thread part is not counted in 10 ms ticks.
        var live = ProcessCpu.LiveThreadMilliseconds($"/proc/{Environment.ProcessId}");
        Assert.NotEqual(0, Math.Round(live * 1000) % 10_000);
    }

    [Fact]
    public void A_process_that_is_not_there_has_no_CPU_time() => Assert.Null(ProcessCpu.Milliseconds(int.MaxValue));
}
