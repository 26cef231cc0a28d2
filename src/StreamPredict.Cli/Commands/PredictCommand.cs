using System.CommandLine;
using System.Text.Json;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.Model;

namespace StreamPredict.Cli.Commands;

/// <summary>`predict`: one ride through a local model, validated exactly like the function validates it.</summary>
internal static class PredictCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<FileInfo>("--model") { Description = "model.json to predict with.", Required = true };
        var ride = new Option<string>("--ride")
        {
            Description = """The ride as JSON: '{"PULocationID":130,"DOLocationID":205,"trip_distance":3.66}'.""",
            Required = true,
        };
        var json = CommandActions.JsonOption();
        var command = new Command("predict", "Predict one ride's duration in minutes.") { model, ride, json };
        CommandActions.Set(command, context, (parse, _) =>
        {
            var compiled = ModelFiles.LoadLocal(parse.GetRequiredValue(model));
            var parsed = ParseRide(parse.GetRequiredValue(ride));
            if (RideValidator.Validate(parsed) is { } invalid)
            {
                throw new CliException($"--ride is not a valid ride: {invalid}.");
            }

            var duration = compiled.Predict(parsed);
            context.WriteSummary(new Summary()
                .Add("ride_duration", duration)
                .Add("model", compiled.Name)
                .Add("version", compiled.Version), parse.GetValue(json));
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    public static Ride ParseRide(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException exception)
        {
            throw new CliException($"--ride is not JSON: {exception.Message}", exception);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new CliException($"--ride must be a JSON object, not {root.ValueKind}.");
            }

            // Accept the ride itself or a whole ride event {"ride": {...}, "ride_id": ...}.
            if (root.TryGetProperty("ride", out var inner) && inner.ValueKind == JsonValueKind.Object)
            {
                root = inner;
            }

            return new Ride(LocationId(root, "PULocationID"), LocationId(root, "DOLocationID"), Distance(root));
        }
    }

    private static int LocationId(JsonElement ride, string name)
    {
        if (!ride.TryGetProperty(name, out var value))
        {
            throw new CliException($"--ride has no {name}.");
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var id)
            ? id
            : throw new CliException($"--ride {name} is {value.GetRawText()}, not an integer.");
    }

    private static double Distance(JsonElement ride)
    {
        if (!ride.TryGetProperty("trip_distance", out var value))
        {
            throw new CliException("--ride has no trip_distance.");
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var distance)
            ? distance
            : throw new CliException($"--ride trip_distance is {value.GetRawText()}, not a number.");
    }
}
