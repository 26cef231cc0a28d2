using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using StreamPredict.Function;
using StreamPredict.Aws.Lambda.Events;
using StreamPredict.Data.Tlc;
using StreamPredict.Training.Linear;
using StreamPredict.Tests.Model;

using StreamPredict.Serving.Rides;

namespace StreamPredict.Tests.Functions;

/// <summary>
/// The generator of events/*.json (deterministic: same bytes every run). Regenerate with
/// <c>STREAMPREDICT_WRITE_EVENTS=1 dotnet test tests/StreamPredict.Tests --filter FullyQualifiedName~SampleEventFiles</c>.
/// </summary>
internal static class SampleEvents
{
    public const string StreamArn = "arn:aws:kinesis:eu-west-1:387546586013:stream/ride_events";
    public const string RoleArn = "arn:aws:iam::387546586013:role/lambda-kinesis-role";

    /// <summary>Every kind of poison, as record text (base64-encoded when written) or, prefixed "raw:", the data field verbatim.</summary>
    public static readonly (string Record, string Kind)[] Poison =
    [
        ("raw:***not base64***", "not_base64"),
        ("raw:" + Convert.ToBase64String([0x7B, 0xFF, 0xFE, 0x7D]), "not_utf8"),
        ("this is not json", "not_json"),
        ("""{"ride": {"PULocationID": 1, "DOLocationID": 2, "trip_distance": 1}, "ride_id": 9} trailing""", "not_json"),
        ("", "not_json"),
        ("[1, 2, 3]", "not_an_object"),
        ("42", "not_an_object"),
        ("""{"ride_id": 9}""", "ride_missing"),
        ("""{"ride": [1], "ride_id": 9}""", "ride_not_an_object"),
        ("""{"ride": {"DOLocationID": 2, "trip_distance": 1}, "ride_id": 9}""", "location_id_missing"),
        ("""{"ride": {"PULocationID": "130", "DOLocationID": 2, "trip_distance": 1}, "ride_id": 9}""", "location_id_wrong_type"),
        ("""{"ride": {"PULocationID": 1.5, "DOLocationID": 2, "trip_distance": 1}, "ride_id": 9}""", "location_id_wrong_type"),
        ("""{"ride": {"PULocationID": 0, "DOLocationID": 2, "trip_distance": 1}, "ride_id": 9}""", "invalid_location_id"),
        ("""{"ride": {"PULocationID": 1, "DOLocationID": 999, "trip_distance": 1}, "ride_id": 9}""", "invalid_location_id"),
        ("""{"ride": {"PULocationID": 1, "DOLocationID": 2}, "ride_id": 9}""", "distance_missing"),
        ("""{"ride": {"PULocationID": 1, "DOLocationID": 2, "trip_distance": "NaN"}, "ride_id": 9}""", "distance_wrong_type"),
        ("""{"ride": {"PULocationID": 1, "DOLocationID": 2, "trip_distance": -3}, "ride_id": 9}""", "invalid_distance"),
        ("""{"ride": {"PULocationID": 1, "DOLocationID": 2, "trip_distance": 12000}, "ride_id": 9}""", "invalid_distance"),
        ("""{"ride": {"PULocationID": 1, "DOLocationID": 2, "trip_distance": 1e999}, "ride_id": 9}""", "invalid_distance"),
        ("""{"ride": {"PULocationID": 1, "DOLocationID": 2, "trip_distance": 1}}""", "ride_id_missing"),
        ("""{"ride": {"PULocationID": 1, "DOLocationID": 2, "trip_distance": 1}, "ride_id": null}""", "ride_id_missing"),
        ("""{"ride": {"PULocationID": 1, "DOLocationID": 2, "trip_distance": 1}, "ride_id": true}""", "ride_id_wrong_type"),
        ("""{"ride": {"PULocationID": 1, "DOLocationID": 2, "trip_distance": 1}, "ride_id": ""}""", "ride_id_wrong_type"),
        ("""{"ride": {"PULocationID": 1, "DOLocationID": 2, "trip_distance": 1}, "ride_id": 9, "x": """ + new string('[', 9) + new string(']', 9) + "}", "too_deep"),
        (new string('[', 100) + new string(']', 100), "too_deep"),
        ("""{"ride": {"PULocationID": 1, "DOLocationID": 2, "trip_distance": 1, "note": "pad""" + new string('x', RideInputCaps.MaxRecordBytes) + "\"}, \"ride_id\": 9}", "over_size_cap"),
    ];

    private static readonly BigInteger FirstSequence = BigInteger.Parse("49630081666084879290581185630324770398608704880802529282", CultureInfo.InvariantCulture);

    /// <summary>Kinesis sequence numbers grow within a shard; this gap is typical of a busy stream.</summary>
    public static string Sequence(int i) => (FirstSequence + new BigInteger(i) * 73_786_976_294_838_206).ToString(CultureInfo.InvariantCulture);

    public static string Encode(string record) => record.StartsWith("raw:", StringComparison.Ordinal) ? record[4..] : Convert.ToBase64String(Encoding.UTF8.GetBytes(record));

    /// <summary>The course's test event, byte-for-byte the same record.</summary>
    public static byte[] CourseRide()
    {
        using var course = JsonDocument.Parse(File.ReadAllBytes(ModelTestFiles.TestData("course-model/kinesis-event.json")));
        var kinesis = course.RootElement.GetProperty("Records")[0].GetProperty("kinesis");
        var record = new SourceRecord(kinesis.GetProperty("data").GetString()!, kinesis.GetProperty("partitionKey").GetString()!,
            kinesis.GetProperty("sequenceNumber").GetString()!, kinesis.GetProperty("approximateArrivalTimestamp").GetDouble());
        return KinesisEventWriter.Write([record], StreamArn, RoleArn, indented: true);
    }

    /// <summary>Real TLC rides (green taxi, February 2021); even rows get numeric ride_ids, odd rows string ones.</summary>
    public static IReadOnlyList<(TripRow Trip, string RideIdJson)> TlcRides(int count, int skip = 0)
    {
        var rows = TlcDataset.ReadFile(ModelTestFiles.TestData("tlc/green_tripdata_2021-02.sample.csv.gz")).Rows;
        return Enumerable.Range(skip, count)
            .Select(i => (rows[i % rows.Count], i % 2 == 0 ? (2_102_000_000 + i).ToString(CultureInfo.InvariantCulture) : $"\"tlc-2021-02-{i:D6}\""))
            .ToList();
    }

    public static string RideJson(TripRow trip, string rideIdJson)
        => $$"""{"ride": {"PULocationID": {{trip.PickupLocationId}}, "DOLocationID": {{trip.DropoffLocationId}}, "trip_distance": {{trip.TripDistance.ToString("R", CultureInfo.InvariantCulture)}}}, "ride_id": {{rideIdJson}}}""";

    public static byte[] TlcBatch(int count, bool indented = true)
        => Write(TlcRides(count).Select(r => RideJson(r.Trip, r.RideIdJson)), indented);

    /// <summary>Two good rides, then one poison record of each kind followed by a good ride, then a duplicate of the first ride_id.</summary>
    public static (byte[] Event, IReadOnlyList<string?> KindPerRecord) PoisonMixed()
    {
        var rides = TlcRides(Poison.Length + 2, skip: 200);
        var records = new List<(string Text, string? Kind)> { (RideJson(rides[0].Trip, rides[0].RideIdJson), null), (RideJson(rides[1].Trip, rides[1].RideIdJson), null) };
        for (var i = 0; i < Poison.Length; i++)
        {
            records.Add((Poison[i].Record, Poison[i].Kind));
            records.Add((RideJson(rides[i + 2].Trip, rides[i + 2].RideIdJson), null));
        }

        records.Add((RideJson(rides[5].Trip, rides[0].RideIdJson), "duplicate_ride_id"));
        return (Write(records.Select(r => r.Text), indented: true), records.Select(r => r.Kind).ToList());
    }

    private static byte[] Write(IEnumerable<string> records, bool indented)
        => KinesisEventWriter.Write(
            records.Select((text, i) => new SourceRecord(Encode(text), PartitionKeyOf(text, i), Sequence(i), 1612137600.0 + i * 0.137)),
            StreamArn, RoleArn, indented);

    // The producer's partition key is the ride_id where there is one (as the course's producer does).
    private static string PartitionKeyOf(string text, int index)
    {
        var at = text.IndexOf("\"ride_id\": ", StringComparison.Ordinal);
        var key = at < 0 ? "" : text[(at + 11)..].Split(',', '}')[0].Trim('"', ' ');
        return key.Length is > 0 and <= 256 && !key.StartsWith('[') ? key : index.ToString(CultureInfo.InvariantCulture);
    }
}
