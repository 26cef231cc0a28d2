namespace StreamPredict.Aws.Lambda.Bootstrap;

/// <summary>The token a function's Runtime API loop runs under: cancelled on SIGTERM, when Lambda shuts the environment down.</summary>
public static class LambdaShutdown
{
    public static CancellationTokenSource CancelOnProcessExit()
    {
        var stop = new CancellationTokenSource();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            // After Main returns the source is already disposed; the loop has ended by then anyway.
            try
            {
                stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        };
        return stop;
    }
}
