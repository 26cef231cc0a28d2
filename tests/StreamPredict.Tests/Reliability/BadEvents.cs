using System.Globalization;
using System.Text;
using System.Text.Json;
using StreamPredict.Aws.Lambda.Events;
using StreamPredict.Function;
using StreamPredict.Tests.Functions;

using StreamPredict.Serving.Rides;

namespace StreamPredict.Tests.Reliability;

/// <summary>
/// The bad-input corpus events/bad/*.json, one file per kind of bad input, plus events/bad/expected.json (what the
/// function must make of each record). Every record file is a good ride, the bad records, and another good ride, so a
/// test sees the neighbours still predicted. Deterministic; regenerate with
/// <c>STREAMPREDICT_WRITE_EVENTS=1 dotnet test tests/StreamPredict.Tests --filter FullyQualifiedName~BadEventFiles</c>.
/// </summary>
internal static class BadEvents
{
    /// <summary>The error_kind expected of each record (null: predicted); a null list: the whole invocation fails (InvalidEvent).</summary>
    internal sealed record Sample(string FileName, byte[] Event, IReadOnlyList<string?>? KindPerRecord);

    public const string ExpectedFileName = "expected.json";

    private static readonly string OverCap = "{\"ride\": {\"PULocationID\": 1, \"DOLocationID\": 2, \"trip_distance\": 1, \"note\": \"" + new string('x', RideInputCaps.MaxRecordBytes) + "\"}, \"ride_id\": \"big\"}";

    public static IReadOnlyList<Sample> All() =>
    [
        Records("not-base64.json", FromPoison("not_base64"), ("raw:eyJyaWRlIjogeyJQ-_", "not_base64"), ("raw:e3J9=x", "not_base64")),
        Records("not-utf8.json", FromPoison("not_utf8"), ("raw:" + Convert.ToBase64String([0xC3, 0x28]), "not_utf8"), ("raw:" + Convert.ToBase64String("{\"ride_id\": \"\u00e9"u8.ToArray()[..^1]), "not_utf8")),
        Records("not-json.json", FromPoison("not_json"), ("""{"ride": {"PULocationID": 1, "DOLocationID": 2, "trip_distance": NaN}, "ride_id": 9}""", "not_json"), ("{'ride': {}}", "not_json")),
        Records("json-not-an-object.json", FromPoison("not_an_object"), ("\"ride\"", "not_an_object"), ("null", "not_an_object"), ("true", "not_an_object")),
        Records("ride-missing.json", FromPoison("ride_missing", "ride_not_an_object"), ("""{"ride": null, "ride_id": 9}""", "ride_not_an_object"), ("""{"Ride": {"PULocationID": 1, "DOLocationID": 2, "trip_distance": 1}, "ride_id": 9}""", "ride_missing")),
        Records("ids-missing-or-wrong-typed.json", FromPoison("location_id_missing", "location_id_wrong_type", "invalid_location_id"),
            ("""{"ride": {"PULocationID": 1, "trip_distance": 1}, "ride_id": 9}""", "location_id_missing"),
            ("""{"ride": {"PULocationID": 1, "DOLocationID": null, "trip_distance": 1}, "ride_id": 9}""", "location_id_wrong_type"),
            ("""{"ride": {"PULocationID": 4294967296, "DOLocationID": 2, "trip_distance": 1}, "ride_id": 9}""", "location_id_wrong_type"),
            ("""{"ride": {"PULocationID": -7, "DOLocationID": 2, "trip_distance": 1}, "ride_id": 9}""", "invalid_location_id")),
        Records("bad-distance.json", FromPoison("distance_missing", "distance_wrong_type", "invalid_distance"),
            ("""{"ride": {"PULocationID": 1, "DOLocationID": 2, "trip_distance": "Infinity"}, "ride_id": 9}""", "distance_wrong_type"),
            ("""{"ride": {"PULocationID": 1, "DOLocationID": 2, "trip_distance": -0.01}, "ride_id": 9}""", "invalid_distance"),
            ("""{"ride": {"PULocationID": 1, "DOLocationID": 2, "trip_distance": 1e308}, "ride_id": 9}""", "invalid_distance")),
        Records("ride-id-missing.json", FromPoison("ride_id_missing", "ride_id_wrong_type"),
            ("""{"ride": {"PULocationID": 1, "DOLocationID": 2, "trip_distance": 1}, "ride_id": {"id": 9}}""", "ride_id_wrong_type"),
            ("{\"ride\": {\"PULocationID\": 1, \"DOLocationID\": 2, \"trip_distance\": 1}, \"ride_id\": \"" + new string('r', RideInputCaps.MaxRideIdLength + 1) + "\"}", "ride_id_wrong_type")),
        Records("over-size-cap.json", FromPoison("over_size_cap"), (OverCap, "over_size_cap")),
        Records("too-deep.json", FromPoison("too_deep"),
            ("""{"ride": {"PULocationID": 1, "DOLocationID": 2, "trip_distance": 1, "x": {"a": {"b": {"c": {"d": {"e": {"f": {"g": 1}}}}}}}}, "ride_id": 9}""", "too_deep")),
        Records("duplicate-ride-id.json", [],
            (SampleEvents.RideJson(SampleEvents.TlcRides(1, skip: 300)[0].Trip, "300"), null),
            (SampleEvents.RideJson(SampleEvents.TlcRides(1, skip: 301)[0].Trip, "300"), "duplicate_ride_id"),
            (SampleEvents.RideJson(SampleEvents.TlcRides(1, skip: 302)[0].Trip, "\"300\""), "duplicate_ride_id")),
        new Sample("empty-batch.json", Encoding.UTF8.GetBytes("{\n  \"Records\": []\n}\n"), []),
        new Sample("not-a-kinesis-event.json", SqsEvent(), null),
    ];

    /// <summary>events/bad/expected.json: file name → error_kind per record (null = predicted), or null when the invocation must fail.</summary>
    public static byte[] Expected()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            foreach (var sample in All())
            {
                if (sample.KindPerRecord is null)
                {
                    writer.WriteNull(sample.FileName);
                    continue;
                }

                writer.WriteStartArray(sample.FileName);
                foreach (var kind in sample.KindPerRecord)
                {
                    writer.WriteStringValue(kind);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static (string Record, string? Kind)[] FromPoison(params string[] kinds)
        => [.. SampleEvents.Poison.Where(p => kinds.Contains(p.Kind)).Select(p => (p.Record, (string?)p.Kind))];

    /// <summary>A good ride, the bad records, a good ride; ride_ids of the good ones name the file.</summary>
    private static Sample Records(string fileName, (string Record, string? Kind)[] fromPoison, params (string Record, string? Kind)[] more)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var rides = SampleEvents.TlcRides(2, skip: 400 + fileName.Length);
        (string Record, string? Kind)[] records =
        [
            (SampleEvents.RideJson(rides[0].Trip, $"\"{stem}-first\""), null),
            .. fromPoison,
            .. more,
            (SampleEvents.RideJson(rides[1].Trip, $"\"{stem}-last\""), null),
        ];
        var payload = KinesisEventWriter.Write(
            records.Select((r, i) => new SourceRecord(SampleEvents.Encode(r.Record), $"{stem}-{i}", SampleEvents.Sequence(i), 1612137600.0 + i * 0.25)),
            SampleEvents.StreamArn, SampleEvents.RoleArn, indented: true);
        return new Sample(fileName, payload, [.. records.Select(r => r.Kind)]);
    }

    /// <summary>An SQS event: the shape a misconfigured trigger or a direct invoke could send.</summary>
    private static byte[] SqsEvent() => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""
        {
          "Records": [
            {
              "messageId": "059f36b4-87a3-44ab-83d2-661975830a7d",
              "receiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
              "body": "{\"ride\": {\"PULocationID\": 130, \"DOLocationID\": 205, \"trip_distance\": 3.66}, \"ride_id\": 256}",
              "attributes": { "ApproximateReceiveCount": "1", "SentTimestamp": "1545082649183" },
              "messageAttributes": {},
              "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3",
              "eventSource": "aws:sqs",
              "eventSourceARN": "arn:aws:sqs:us-east-2:123456789012:my-queue",
              "awsRegion": "us-east-2"
            }
          ]
        }

        """));
}
