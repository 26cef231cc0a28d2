namespace StreamPredict.Aws.Lambda.Bootstrap;

/// <summary>
/// Starts the runtime's timer thread on a thread-pool thread, so that the first timeout armed on the cold-start path
/// (HttpClient's, on the model's GET) does not start it there.
/// </summary>
/// <remarks>
/// The first timer in a process starts the thread that fires timers, and starting a thread waits, yielding the CPU in
/// a loop, until the new thread runs. `perf record` over 14 NativeAOT cold starts put that wait, inside the model GET's
/// HttpClient.SendAsync, among the largest costs on the way to the first response (bench coldstart --trace; the function's
/// README). Started at the top of Main instead, it overlaps with reading the settings, opening the connections and
/// signing the request; if the GET gets there first it only waits for the thread's start to finish, as it would have.
/// </remarks>
public static class TimerThreadStart
{
    public static void InBackground() =>
        ThreadPool.UnsafeQueueUserWorkItem(static _ =>
        {
            // Any timer with a finite due time starts the thread; this one is disposed before it could fire.
            using var timer = new Timer(static _ => { }, null, TimeSpan.FromDays(1), Timeout.InfiniteTimeSpan);
        }, null);
}
