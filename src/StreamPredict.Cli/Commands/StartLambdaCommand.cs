using System.CommandLine;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.LocalLambda.Invoke;

namespace StreamPredict.Cli.Commands;

/// <summary>`start-lambda`: what the Lambda RIE and `sam local start-lambda` give, without Docker: the real bootstrap,
/// kept warm, behind an HTTP invoke endpoint, until Ctrl-C or SIGTERM.</summary>
internal static class StartLambdaCommand
{
    public static Command Create(CliContext context)
    {
        var port = new Option<int>("--port", "-p") { Description = "The port to listen on (0: a free one, printed).", DefaultValueFactory = _ => 8080 };
        var host = new Option<string>("--host")
        {
            Description = "The address to listen on: 127.0.0.1 (the default, this machine only), localhost, or 0.0.0.0 for every interface.",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var functionOptions = new FunctionOptions();
        var json = CommandActions.JsonOption();
        var command = new Command("start-lambda",
            "Serve the function on the RIE's and SAM's invoke paths; AWS_LAMBDA_FUNCTION_TIMEOUT (seconds, default 300) times an invocation out.")
        {
            port, host, functionOptions.Env, functionOptions.Memory, json,
        };
        CommandActions.Set(command, context, async (parse, cancellationToken) =>
        {
            var gate = new Lock();
            void Log(string line)
            {
                lock (gate)
                {
                    context.Error.WriteLine(line);
                }
            }

            var sandbox = FunctionSandbox.ForBootstrap(functionOptions.Environment(context, parse), parse.GetValue(functionOptions.Memory), Log);
            InvokeEndpoint endpoint;
            try
            {
                endpoint = InvokeEndpoint.Start(parse.GetRequiredValue(host), parse.GetValue(port), sandbox, Log);
            }
            catch
            {
                await sandbox.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            await using (endpoint.ConfigureAwait(false))
            {
                context.Out.WriteLine($"start-lambda: listening on {endpoint.BaseUrl}");
                context.Out.WriteLine($"  POST {endpoint.RieUrl}  (the RIE's path)");
                context.Out.WriteLine($"  POST {endpoint.FunctionUrl}  (Lambda's Invoke API, as sam local start-lambda serves it)");
                context.Out.WriteLine($"  function timeout {sandbox.Timeout.TotalSeconds:0} s ({FunctionSandbox.TimeoutVariable}); Ctrl-C stops");
                context.Out.Flush();
                sandbox.Warm();
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Ctrl-C or SIGTERM is how a server ends: stop the function, then report.
                }
            }

            var stats = sandbox.Stats;
            context.Error.WriteLine("start-lambda: stopped.");
            context.WriteSummary(new Summary()
                .Add("invocations", stats.Invocations)
                .Add("responses", stats.Responses)
                .Add("function_errors", stats.FunctionErrors)
                .Add("init_failures", stats.InitFailures)
                .Add("timeouts", stats.Timeouts)
                .Add("crashes", stats.Crashes)
                .Add("function_starts", stats.Starts), parse.GetValue(json));
            return ExitCodes.Success;
        });
        return command;
    }
}
