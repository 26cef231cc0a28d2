using System.CommandLine;
using System.Text;
using System.Text.Json;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.Model;
using StreamPredict.Serving.Rides;

namespace StreamPredict.Cli.Commands;

/// <summary>`predict`: one ride through a local model, validated exactly like the function validates it.</summary>
internal static class PredictCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "The model: a model.json, a folder holding one, or s3://bucket/key.", Required = true };
        var ride = new Option<string>("--ride")
        {
            Description = """The ride as JSON: '{"PULocationID":130,"DOLocationID":205,"trip_distance":3.66}'.""",
            Required = true,
        };
        var json = CommandActions.JsonOption();
        var command = new Command("predict", "Predict one ride's duration in minutes.") { model, ride, json };
        CommandActions.Set(command, context, async (parse, cancellationToken) =>
        {
            var compiled = (await ModelFiles.LoadAsync(context, parse.GetRequiredValue(model), "--model", cancellationToken).ConfigureAwait(false)).Model;
            var parsed = ParseRide(parse.GetRequiredValue(ride));
            var duration = compiled.Predict(parsed);
            context.WriteSummary(new Summary()
                .Add("ride_duration", duration)
                .Add("model", compiled.Name)
                .Add("version", compiled.Version), parse.GetValue(json));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The ride as the function or the web service would read it (the shared <see cref="RideReader"/>): a whole ride event
    /// <c>{"ride": {...}, "ride_id": ...}</c>, or a bare ride as the course's web service takes it.
    /// </summary>
    public static Ride ParseRide(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var json = Encoding.UTF8.GetBytes(text);
        RejectionKind? kind;
        Ride ride;
        string? reason;
        try
        {
            kind = RideReader.Read(json, out ride, out _, out _, out reason);
        }
        catch (JsonException exception)
        {
            throw new CliException($"--ride is not JSON: {exception.Message}", exception);
        }

        if (kind == RejectionKind.RideMissing)
        {
            kind = RideReader.ReadBare(json, out ride, out reason);
        }

        return kind is { } refused ? throw new CliException($"--ride is refused ({refused.Code()}): {reason}.") : ride;
    }
}
