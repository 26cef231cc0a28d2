using StreamPredict.Cli.Bench;

namespace StreamPredict.Tests.Bench;

public sealed class StartupPhaseTests
{
    private const string Line =
        """{"startupTrace":{"clock":"monotonic","processStartMs":1000,"marks":[{"phase":"main","ms":1004.5,"cpuMs":3.5},{"phase":"kinesis answered","ms":1030,"cpuMs":12},{"phase":"kinesis answered","ms":1031,"cpuMs":12.5}]}}""";

    [Fact]
    public void Marks_become_ms_since_the_bench_started_the_process_and_repeats_are_numbered()
    {
        var phases = StartupPhase.Parse(Line, startedMs: 1000.5);

        Assert.NotNull(phases);
        Assert.Equal(["main", "kinesis answered", "kinesis answered #2"], phases.Select(p => p.Phase));
        Assert.Equal([4.0, 29.5, 30.5], phases.Select(p => p.Ms));
        Assert.Equal([3.5, 12, 12.5], phases.Select(p => p.CpuMs));
    }

    [Fact]
    public void No_line_means_no_phases()
    {
        Assert.Null(StartupPhase.Parse(null, 0));
    }

    [Fact]
    public void Medians_are_per_phase_in_the_order_first_seen()
    {
        var runs = new[]
        {
            new[] { new StartupPhase("main", 4, 3), new StartupPhase("init done", 20, 12) },
            new[] { new StartupPhase("main", 6, 4), new StartupPhase("init done", 30, 13), new StartupPhase("late", 50, 14) },
            new[] { new StartupPhase("main", 5, 5), new StartupPhase("init done", 10, 11) },
        };

        var medians = StartupPhase.Medians(runs);

        Assert.Equal(["main", "init done", "late"], medians.Select(p => p.Phase));
        Assert.Equal([5.0, 20, 50], medians.Select(p => p.Ms));
        Assert.Equal([4.0, 12, 14], medians.Select(p => p.CpuMs));
    }
}
