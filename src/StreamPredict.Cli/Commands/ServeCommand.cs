using System.CommandLine;
using System.Globalization;
using StreamPredict.Cli.Infrastructure;

namespace StreamPredict.Cli.Commands;

/// <summary>
/// `serve`: the web service (src/StreamPredict.Web), hosted in this process. In-process rather than starting the
/// service's executable: `serve` then works from a clone or the installed tool with no publish step, sees the same
/// environment overrides as every other verb, and stops with Ctrl-C like them. The NativeAOT executable is the same
/// app (<c>StreamPredict.Web.Program</c>) for production and the benchmark.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (the course's 9696 by default).", DefaultValueFactory = _ => 9696 };
        var urls = new Option<string?>("--urls") { Description = "Where to listen instead, e.g. http://0.0.0.0:9696 (semicolon-separated)." };
        var command = new Command("serve", "Serve the model over HTTP: /predict, MLflow's /invocations, KServe V2, /metrics. The model comes from MODEL_LOCATION or MODEL_BUCKET with RUN_ID/MODEL_KEY, as for the function.")
        {
            port, urls,
        };
        CommandActions.Set(command, context, async (parse, cancellationToken) =>
        {
            var portValue = parse.GetValue(port);
            if (portValue is < 0 or > 65535)
            {
                throw new CliException($"--port {portValue} is not a TCP port (0..65535).");
            }

            var address = parse.GetValue(urls) ?? string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{portValue}");
            return await Web.Program.RunAsync(["--urls", address], context.GetVariable, cancellationToken, context.Error).ConfigureAwait(false);
        });
        return command;
    }
}
