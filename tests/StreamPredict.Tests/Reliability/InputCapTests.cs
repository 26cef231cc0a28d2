using System.Text;
using StreamPredict.Function;
using StreamPredict.Aws.Lambda.Events;
using StreamPredict.Tests.Functions;
using static StreamPredict.Tests.Functions.HandlerHarness;

using StreamPredict.Serving.Rides;

namespace StreamPredict.Tests.Reliability;

/// <summary>The input caps at their exact boundaries: the cap itself is accepted, one past it is a dead letter naming the cap.</summary>
public sealed class InputCapTests
{
    private const string Ride = """{"ride": {"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}, "ride_id": "cap", "x": """;

    private static async Task<(int Predicted, List<string?> Kinds, List<string?> Reasons)> HandleAsync(string record)
    {
        using var harness = new HandlerHarness();
        var payload = KinesisEventWriter.Write([new SourceRecord(Convert.ToBase64String(Encoding.UTF8.GetBytes(record)), "cap", "4963008166608487929058118563032477039860870488080252001", 1700000000)]);
        var response = await harness.InvokeAsync(payload);
        Assert.Empty(FailureIds(response));
        var letters = harness.Writer.Published(Rejections);
        return (harness.Writer.Published(Predictions).Count, [.. letters.Select(l => l.GetProperty("error_kind").GetString())], [.. letters.Select(l => l.GetProperty("reason").GetString())]);
    }

    /// <summary>A ride whose UTF-8 encoding is exactly <paramref name="bytes"/> long (padding in an extra member).</summary>
    private static string RideOfSize(int bytes)
    {
        var shell = Ride + "\"\"}";
        return Ride + "\"" + new string('p', bytes - Encoding.UTF8.GetByteCount(shell)) + "\"}";
    }

    /// <summary>A ride whose JSON nests <paramref name="levels"/> deep (the record's own object is level 1).</summary>
    private static string RideOfDepth(int levels)
    {
        var nested = "1";
        for (var i = 0; i < levels - 1; i++)
        {
            nested = i % 2 == 0 ? "{\"a\": " + nested + "}" : "[" + nested + "]";
        }

        return Ride + nested + "}";
    }

    [Fact]
    public async Task A_record_of_exactly_the_size_cap_is_predicted_and_one_byte_more_is_rejected()
    {
        Assert.Equal(RideInputCaps.MaxRecordBytes, Encoding.UTF8.GetByteCount(RideOfSize(RideInputCaps.MaxRecordBytes)));
        Assert.Equal((1, 0), await CountAsync(RideOfSize(RideInputCaps.MaxRecordBytes)));

        var (predicted, kinds, reasons) = await HandleAsync(RideOfSize(RideInputCaps.MaxRecordBytes + 1));
        Assert.Equal(0, predicted);
        Assert.Equal("over_size_cap", Assert.Single(kinds));
        Assert.Contains("16384", reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task JSON_nested_exactly_to_the_depth_cap_is_predicted_and_one_level_more_is_rejected()
    {
        Assert.Equal((1, 0), await CountAsync(RideOfDepth(RideInputCaps.MaxJsonDepth)));

        var (predicted, kinds, reasons) = await HandleAsync(RideOfDepth(RideInputCaps.MaxJsonDepth + 1));
        Assert.Equal(0, predicted);
        Assert.Equal("too_deep", Assert.Single(kinds));
        Assert.Contains($"{RideInputCaps.MaxJsonDepth} levels", reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ride_id_of_exactly_256_characters_is_predicted_and_257_is_rejected()
    {
        static string WithId(int length) => $$"""{"ride": {"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}, "ride_id": "{{new string('i', length)}}"}""";

        Assert.Equal((1, 0), await CountAsync(WithId(RideInputCaps.MaxRideIdLength)));

        var (predicted, kinds, reasons) = await HandleAsync(WithId(RideInputCaps.MaxRideIdLength + 1));
        Assert.Equal(0, predicted);
        Assert.Equal("ride_id_wrong_type", Assert.Single(kinds));
        Assert.Contains("1..256 characters", reasons[0], StringComparison.Ordinal);
    }

    private static async Task<(int Predicted, int Rejected)> CountAsync(string record)
    {
        var (predicted, kinds, _) = await HandleAsync(record);
        return (predicted, kinds.Count);
    }
}
