using System.Buffers;
using StreamPredict.Aws.Diagnostics;
using StreamPredict.Aws.Lambda.Client;

namespace StreamPredict.Aws.Lambda.Bootstrap;

/// <summary>The runtime loop: init once, then next → handle → response or error, until the Runtime API goes away.</summary>
public sealed class LambdaBootstrap
{
    private static readonly TimeSpan InitErrorPostTimeout = TimeSpan.FromSeconds(10);

    private readonly RuntimeApiClient _client;
    private readonly Action<string> _log;

    /// <param name="log">Where the loop reports its own failures (one line each); stderr by default.</param>
    public LambdaBootstrap(RuntimeApiClient client, Action<string>? log = null)
    {
        _client = client;
        _log = log ?? (line => Console.Error.WriteLine(line));
    }

    /// <summary>
    /// Runs <paramref name="initialize"/>; if it throws, posts /init/error and returns 1 (Lambda then discards the
    /// environment). Otherwise serves invocations until cancelled or the Runtime API can no longer be reached.
    /// </summary>
    public async Task<int> RunAsync(Func<CancellationToken, Task<ILambdaHandler>> initialize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(initialize);
        ILambdaHandler handler;
        try
        {
            handler = await initialize(cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Every init failure, whatever its type, must reach Lambda as /init/error.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _log($"init failed: {exception.GetType().Name}: {exception.Message}");
            await PostInitErrorAsync(LambdaError.FromException(exception, ErrorTypeOf(exception))).ConfigureAwait(false);
            return 1;
        }

        var response = new ArrayBufferWriter<byte>(64 * 1024);
        while (!cancellationToken.IsCancellationRequested)
        {
            LambdaInvocation invocation;
            try
            {
                StartupTrace.Mark("next requested");
                invocation = await _client.GetNextInvocationAsync(cancellationToken).ConfigureAwait(false);
                StartupTrace.Mark("next answered");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 0;
            }
            catch (HttpRequestException exception)
            {
                // Without the Runtime API there is nothing left to serve; Lambda replaces the environment.
                _log($"the Runtime API is unreachable: {exception.Message}");
                return 2;
            }

            try
            {
                await HandleOneAsync(handler, invocation, response, cancellationToken).ConfigureAwait(false);
                StartupTrace.Mark("response posted");
                StartupTrace.WriteToStdout();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Shutdown (SIGTERM) arrived while the answer was being posted: end as cleanly as between invocations.
                // If the post did not complete, Lambda treats the invocation as failed and redelivers the batch.
                return 0;
            }
        }

        return 0;
    }

    /// <summary>
    /// The init error is the last thing Lambda must hear from this process, so a shutdown signal arriving meanwhile
    /// does not cancel it; a bounded wait keeps an unresponsive Runtime API from holding the process forever.
    /// </summary>
    private async Task PostInitErrorAsync(LambdaError error)
    {
        using var bounded = new CancellationTokenSource(InitErrorPostTimeout);
        try
        {
            await _client.PostInitErrorAsync(error, bounded.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            _log($"could not post the init error: {exception.Message}");
        }
    }

    private async Task HandleOneAsync(ILambdaHandler handler, LambdaInvocation invocation, ArrayBufferWriter<byte> response, CancellationToken cancellationToken)
    {
        var context = invocation.Context;
        Environment.SetEnvironmentVariable(RuntimeApiHeaders.TraceIdVariable, context.TraceId);
        response.ResetWrittenCount();
        LambdaError? error = null;
        try
        {
            await handler.HandleAsync(invocation.Payload, context, response, cancellationToken).ConfigureAwait(false);
            StartupTrace.Mark("handled");
        }
#pragma warning disable CA1031 // A handler failure is reported to Lambda; the loop itself must survive it.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            error = LambdaError.FromException(exception, ErrorTypeOf(exception));
            _log($"invocation {context.AwsRequestId} failed: {error.ErrorType}: {error.ErrorMessage}");
        }

        try
        {
            if (error is null)
            {
                await _client.PostResponseAsync(context.AwsRequestId, response.WrittenMemory, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _client.PostErrorAsync(context.AwsRequestId, error, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (HttpRequestException exception)
        {
            // E.g. 413 for a response over 6 MB, or the invocation already timed out: the next /next still works.
            _log($"could not post the outcome of {context.AwsRequestId}: {exception.Message}");
        }
    }

    private static string ErrorTypeOf(Exception exception)
        => exception is LambdaFunctionException functionException ? functionException.ErrorType : exception.GetType().Name;
}
