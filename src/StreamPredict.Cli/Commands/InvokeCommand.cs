using System.CommandLine;
using System.Diagnostics;
using System.Text;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.LocalLambda.Runtime;

namespace StreamPredict.Cli.Commands;

/// <summary>`invoke`: what `sam local invoke -e` does, without Docker: the real bootstrap on a loopback Runtime API.</summary>
internal static class InvokeCommand
{
    public static Command Create(CliContext context)
    {
        var eventFile = new Option<FileInfo>("--event", "-e") { Description = "The Lambda event JSON file, e.g. events/course-ride.json.", Required = true };
        var functionOptions = new FunctionOptions();
        var json = CommandActions.JsonOption();
        var command = new Command("invoke", "Run the function once on an event file and print its response (logs go to stderr).") { eventFile, json };
        functionOptions.AddTo(command);
        CommandActions.Set(command, context, async (parse, cancellationToken) =>
        {
            var file = parse.GetRequiredValue(eventFile);
            if (!file.Exists)
            {
                throw new CliException($"--event: file '{file.FullName}' does not exist.");
            }

            var payload = await File.ReadAllBytesAsync(file.FullName, cancellationToken).ConfigureAwait(false);
            var started = Stopwatch.GetTimestamp();
            var host = await FunctionHost.StartAsync(functionOptions.Environment(context, parse), line => context.Error.WriteLine(line),
                TimeSpan.FromSeconds(60), cancellationToken, parse.GetValue(functionOptions.Memory)).ConfigureAwait(false);
            FunctionResult result;
            double initMs, durationMs;
            await using (host.ConfigureAwait(false))
            {
                initMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var invoked = Stopwatch.GetTimestamp();
                result = await host.InvokeAsync(payload, parse.GetValue(functionOptions.Timeout), cancellationToken).ConfigureAwait(false);
                durationMs = Stopwatch.GetElapsedTime(invoked).TotalMilliseconds;
            }

            var response = result.Response is { } body ? Encoding.UTF8.GetString(body) : null;
            if (parse.GetValue(json))
            {
                context.WriteSummary(new Summary()
                    .Add("ok", result.Succeeded)
                    .Add("response", response)
                    .Add("error_type", result.Error?.ErrorType)
                    .Add("error", result.Succeeded ? null : result.Describe())
                    .Add("init_ms", initMs)
                    .Add("duration_ms", durationMs), json: true);
            }
            else if (response is not null)
            {
                context.Out.WriteLine(response);
            }

            if (!result.Succeeded)
            {
                context.Error.WriteLine($"error: the function failed: {result.Describe()}");
                if (result.Error is { } error)
                {
                    context.Error.WriteLine(Encoding.UTF8.GetString(error.ToUtf8Json()));
                }

                return ExitCodes.Failure;
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
