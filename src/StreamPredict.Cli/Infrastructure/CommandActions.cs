using System.CommandLine;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Aws.S3;
using StreamPredict.LocalLambda;
using StreamPredict.Serving.Models;
using StreamPredict.Serving.Streaming;
using StreamPredict.Model;

namespace StreamPredict.Cli.Infrastructure;

/// <summary>Runs a verb and turns the failures a user can cause into one clear line on stderr and a non-zero exit.</summary>
internal static class CommandActions
{
    public static Option<bool> JsonOption() => new("--json")
    {
        Description = "Print a machine-readable JSON summary as the last line on stdout.",
    };

    public static void Set(Command command, CliContext context, Func<ParseResult, CancellationToken, Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await action(parse, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                context.Error.WriteLine($"{command.Name}: cancelled.");
                return ExitCodes.Cancelled;
            }
            catch (Exception exception) when (IsUserFacing(exception))
            {
                context.Error.WriteLine($"error: {exception.Message}");
                return ExitCodes.Failure;
            }
        });
    }

    private static bool IsUserFacing(Exception exception) => exception is CliException or KinesisException
        or S3ObjectNotFoundException or ModelLoadException or InvalidDataException
        or IOException or ArgumentException or UnauthorizedAccessException or ModelUnavailableException or LocalLambdaException
        or Amazon.Runtime.AmazonServiceException or HttpRequestException or TimeoutException
        // AwsEnvironment reports a missing region or a malformed endpoint this way.
        or InvalidOperationException;
}
