using System.Globalization;
using System.Text;
using System.Text.Json;
using StreamPredict.Function;
using StreamPredict.Aws.Lambda.Events;
using StreamPredict.Tests.Model;

using StreamPredict.Serving.Rides;

namespace StreamPredict.Tests.Functions;

/// <summary>
/// The plain paths (hand-written readers for events and rides as they are normally written) must never change a
/// result: whatever they accept, Utf8JsonReader's general path accepts with the same values. Checked on generated
/// inputs that mix plain forms, valid rare forms (escapes, nesting, odd numbers) and corrupted ones.
/// </summary>
public sealed class PlainPathTests
{
    [Theory]
    [InlineData("course-ride.json")]
    [InlineData("tlc-batch-100.json")]
    [InlineData("poison-mixed.json")]
    [InlineData("bad/not-utf8.json")]
    public void Events_as_Lambda_writes_them_take_the_plain_path(string name)
    {
        var payload = File.ReadAllBytes(Path.Combine(ModelTestFiles.RepoRoot, "events", name));

        Assert.True(KinesisEventReader.TryReadPlain(payload, out var records));
        using (records)
        using (var expected = KinesisEventReader.ReadGeneral(payload))
        {
            Assert.True(records!.Count > 0);
            AssertSameRecords(expected!, records);
        }
    }

    [Fact]
    public void Values_written_with_escapes_are_read_unescaped()
    {
        var payload = Encoding.UTF8.GetBytes("""
            {"Records": [
              {"kinesis": {"sequenceNumber": "\u0031\u00322", "data": "e30\u003d", "approximateArrivalTimestamp": 1.5},
               "eventSource": "aws\u003akinesis", "eventID": "shard\/1:12"},
              {"kinesis": {"sequenceNumber": "13", "data": "e30="}, "eventSource": "aws:kinesis", "eventID": "shard-2:13"}
            ]}
            """);

        Assert.False(KinesisEventReader.TryReadPlain(payload, out _));
        using var records = KinesisEventReader.Read(payload)!;
        var text = records.Text.Span;
        Assert.Equal(["122", "13"], [records[0].Kinesis.SequenceNumber.ToString(text), records[1].Kinesis.SequenceNumber.ToString(text)]);
        Assert.Equal(["e30=", "e30="], [records[0].Kinesis.Data.ToString(text), records[1].Kinesis.Data.ToString(text)]);
        Assert.Equal(["aws:kinesis", "aws:kinesis"], [records[0].EventSource.ToString(text), records[1].EventSource.ToString(text)]);
        Assert.Equal(["shard/1:12", "shard-2:13"], [records[0].EventId.ToString(text), records[1].EventId.ToString(text)]);
        Assert.Equal("1.5", records[0].Kinesis.ApproximateArrivalTimestamp.ToString(text));
        Assert.False(records[1].Kinesis.ApproximateArrivalTimestamp.IsPresent);
    }

    [Fact]
    public void Plain_and_general_event_readers_give_the_same_records()
    {
        var random = new Random(5);
        int plain = 0, general = 0, invalid = 0;
        for (var i = 0; i < 4_000; i++)
        {
            var payload = Encoding.UTF8.GetBytes(RandomEvent(random));
            if (i % 4 == 3)
            {
                payload = Corrupt(random, payload);
            }

            KinesisRecordList? expected;
            try
            {
                expected = KinesisEventReader.ReadGeneral(payload);
            }
            catch (JsonException)
            {
                invalid++;
                Assert.False(KinesisEventReader.TryReadPlain(payload, out _), $"the plain path accepted what the general path refuses: {Encoding.UTF8.GetString(payload)}");
                continue;
            }

            if (expected is null)
            {
                Assert.False(KinesisEventReader.TryReadPlain(payload, out _), "the plain path found Records the general path did not");
                continue;
            }

            using (expected)
            {
                if (!KinesisEventReader.TryReadPlain(payload, out var actual))
                {
                    general++;
                    continue;
                }

                plain++;
                using (actual)
                {
                    AssertSameRecords(expected, actual!);
                }
            }
        }

        // Every branch was exercised, not just one of them.
        Assert.True(plain > 1_000 && general > 300 && invalid > 300, $"plain {plain}, general {general}, invalid {invalid}");
    }

    [Fact]
    public void Plain_and_general_ride_readers_give_the_same_result()
    {
        var random = new Random(9);
        var inputs = SampleEvents.Poison.Where(p => !p.Record.StartsWith("raw:", StringComparison.Ordinal)).Select(p => p.Record).ToList();
        for (var i = 0; i < 6_000; i++)
        {
            var json = RandomRide(random);
            inputs.Add(i % 5 == 4 ? Encoding.UTF8.GetString(Corrupt(random, Encoding.UTF8.GetBytes(json))) : json);
        }

        var plain = 0;
        foreach (var input in inputs)
        {
            var json = Encoding.UTF8.GetBytes(input);
            plain += PlainRideReader.TryRead(json, out _) ? 1 : 0;
            var expected = Outcome(json, general: true);
            Assert.True(expected == Outcome(json, general: false), $"{input}\n general: {expected}\n   plain: {Outcome(json, general: false)}");
        }

        Assert.True(plain > 1_000 && plain < inputs.Count - 1_000, $"plain {plain} of {inputs.Count}");
    }

    [Fact]
    public void Plain_strings_hold_printable_ASCII_except_quote_and_backslash()
    {
        for (var b = 0; b < 256; b++)
        {
            Assert.Equal(b is >= 0x20 and < 0x7F and not '"' and not '\\', PlainJsonCursor.PlainStringBytes.Contains((byte)b));
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("130")]
    [InlineData("-12.5e3")]
    [InlineData("3.66")]
    [InlineData("1E-7")]
    [InlineData("1e+2")]
    [InlineData("01")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("-")]
    [InlineData("1e")]
    [InlineData("+1")]
    [InlineData("1.5.2")]
    [InlineData("0x10")]
    [InlineData("NaN")]
    [InlineData("12abc")]
    public void The_plain_number_grammar_is_JSON_s(string number)
    {
        var json = Encoding.UTF8.GetBytes($"[{number}]");
        var cursor = new PlainJsonCursor(json);
        var plainAccepts = cursor.TryConsume((byte)'[') && cursor.TryReadNumber(out _, out var length) && length == number.Length && cursor.TryConsume((byte)']') && cursor.AtEnd();

        Assert.Equal(IsJson(json), plainAccepts);
    }

    private static bool IsJson(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>What ParseRide (plain path first) or ParseRideGeneral made of a record, as comparable text.</summary>
    private static string Outcome(byte[] json, bool general)
    {
        try
        {
            var kind = general
                ? RideReader.ReadGeneral(json, out var ride, out var rideId, out var isNumber, out var reason)
                : RideReader.Read(json, out ride, out rideId, out isNumber, out reason);
            return kind is null
                ? string.Create(CultureInfo.InvariantCulture, $"ride {ride.PickupLocationId} {ride.DropoffLocationId} {ride.TripDistance:R} id {(isNumber ? "number" : "string")} [{Encoding.UTF8.GetString(rideId)}]")
                : $"{kind}: {reason}";
        }
        catch (JsonException)
        {
            return "not JSON";
        }
    }

    private static void AssertSameRecords(KinesisRecordList expected, KinesisRecordList actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Utf8Slice[] expectedSlices = [e.EventSource, e.EventId, e.EventSourceArn, e.AwsRegion, e.EventName, e.EventVersion, e.InvokeIdentityArn,
                e.Kinesis.Data, e.Kinesis.PartitionKey, e.Kinesis.SequenceNumber, e.Kinesis.ApproximateArrivalTimestamp, e.Kinesis.KinesisSchemaVersion, e.Kinesis.EncryptionType];
            Utf8Slice[] actualSlices = [a.EventSource, a.EventId, a.EventSourceArn, a.AwsRegion, a.EventName, a.EventVersion, a.InvokeIdentityArn,
                a.Kinesis.Data, a.Kinesis.PartitionKey, a.Kinesis.SequenceNumber, a.Kinesis.ApproximateArrivalTimestamp, a.Kinesis.KinesisSchemaVersion, a.Kinesis.EncryptionType];
            for (var s = 0; s < expectedSlices.Length; s++)
            {
                Assert.Equal(expectedSlices[s].IsPresent, actualSlices[s].IsPresent);
                Assert.Equal(Encoding.UTF8.GetString(expectedSlices[s].Span(expected.Text.Span)), Encoding.UTF8.GetString(actualSlices[s].Span(actual.Text.Span)));
            }
        }
    }

    // ---- Generators: mostly the plain form, with rare-but-valid forms mixed in. ----

    private static string RandomEvent(Random random)
    {
        var records = Enumerable.Range(0, random.Next(0, 4)).Select(_ => RandomRecord(random));
        var members = new List<string> { $"\"Records\":{Space(random)}[{string.Join("," + Space(random), records)}]" };
        if (random.Next(6) == 0)
        {
            members.Add(Extra(random));
        }

        return $"{Space(random)}{{{Space(random)}{string.Join("," + Space(random), Shuffle(random, members))}{Space(random)}}}{Space(random)}";
    }

    private static string RandomRecord(Random random)
    {
        var sequence = random.Next(1_000_000).ToString(CultureInfo.InvariantCulture);
        var kinesis = new List<string>
        {
            Member(random, "kinesisSchemaVersion", "\"1.0\""),
            Member(random, "partitionKey", Text(random, "key")),
            Member(random, "sequenceNumber", Text(random, sequence)),
            Member(random, "data", Text(random, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"ride_id\": {sequence}}}")))),
            Member(random, "approximateArrivalTimestamp", random.Next(4) switch { 0 => "1654161514", 1 => "1.654161514132E9", 2 => "-0", _ => "1654161514.132" }),
        };
        if (random.Next(5) == 0)
        {
            kinesis.Add(Member(random, "encryptionType", "\"KMS\""));
        }

        if (random.Next(8) == 0)
        {
            kinesis.Add(Extra(random));
        }

        var record = new List<string>
        {
            Member(random, "kinesis", $"{{{Space(random)}{string.Join("," + Space(random), Shuffle(random, kinesis))}{Space(random)}}}"),
            Member(random, "eventSource", Text(random, "aws:kinesis")),
            Member(random, "eventVersion", "\"1.0\""),
            Member(random, "eventID", Text(random, $"shardId-000000000000:{sequence}")),
            Member(random, "eventName", "\"aws:kinesis:record\""),
            Member(random, "invokeIdentityArn", "\"arn:aws:iam::387546586013:role/lambda-kinesis-role\""),
            Member(random, "awsRegion", random.Next(20) == 0 ? "null" : "\"eu-west-1\""),
            Member(random, "eventSourceARN", "\"arn:aws:kinesis:eu-west-1:387546586013:stream/ride_events\""),
        };
        if (random.Next(8) == 0)
        {
            record.Add(Extra(random));
        }

        if (random.Next(30) == 0)
        {
            record.Add(Member(random, "eventSource", Text(random, "aws:kinesis"))); // a repeated member: the last one wins
        }

        return $"{{{Space(random)}{string.Join("," + Space(random), Shuffle(random, record))}{Space(random)}}}";
    }

    private static string RandomRide(Random random)
    {
        string[] numbers = ["130", "-0", "0", "1", "265", "2147483647", "2147483648", "-1", "1.0", "1e2", "3.66", "0.5", "12000", "1e999", "-3", "7E-1"];
        string[] ids = ["256", "\"ride-1\"", "\"caf\u00e9\"", "\"a\\\"b\"", "\"\\u0041\"", "\"\"", "1.5e3", "null", "true", "\"" + new string('x', 300) + "\"", "[1]", "{}"];
        var ride = new List<string>
        {
            Member(random, "PULocationID", random.Next(3) == 0 ? numbers[random.Next(numbers.Length)] : random.Next(1, 266).ToString(CultureInfo.InvariantCulture)),
            Member(random, "DOLocationID", random.Next(3) == 0 ? numbers[random.Next(numbers.Length)] : random.Next(1, 266).ToString(CultureInfo.InvariantCulture)),
            Member(random, "trip_distance", random.Next(3) == 0 ? numbers[random.Next(numbers.Length)] : (random.NextDouble() * 30).ToString("R", CultureInfo.InvariantCulture)),
        };
        if (random.Next(10) == 0)
        {
            ride.RemoveAt(random.Next(ride.Count));
        }

        if (random.Next(10) == 0)
        {
            ride.Add(ride[random.Next(ride.Count)]);
        }

        if (random.Next(6) == 0)
        {
            ride.Add(Extra(random));
        }

        var members = new List<string>
        {
            Member(random, "ride", $"{{{Space(random)}{string.Join("," + Space(random), Shuffle(random, ride))}{Space(random)}}}"),
            Member(random, "ride_id", random.Next(3) == 0 ? ids[random.Next(ids.Length)] : random.Next(2) == 0 ? random.Next().ToString(CultureInfo.InvariantCulture) : $"\"r{random.Next()}\""),
        };
        if (random.Next(10) == 0)
        {
            members.RemoveAt(random.Next(members.Count));
        }

        if (random.Next(6) == 0)
        {
            members.Add(Extra(random));
        }

        return $"{Space(random)}{{{Space(random)}{string.Join("," + Space(random), Shuffle(random, members))}{Space(random)}}}{Space(random)}";
    }

    private static string Member(Random random, string name, string value) =>
        $"{(random.Next(40) == 0 ? EscapedName(name) : $"\"{name}\"")}{Space(random)}:{Space(random)}{value}";

    /// <summary>A string value, now and then written with an escape (valid JSON the plain path leaves to the general one).</summary>
    private static string Text(Random random, string value) => random.Next(30) == 0 ? $"\"{value}\\/\"" : $"\"{value}\"";

    private static string EscapedName(string name) => $"\"\\u{(int)name[0]:x4}{name[1..]}\"";

    private static string Extra(Random random) => random.Next(6) switch
    {
        0 => "\"extra\": 12.5",
        1 => "\"extra\": true",
        2 => "\"extra\": null",
        3 => "\"extra\": \"text\"",
        4 => "\"extra\": {\"nested\": [1, 2]}",
        _ => "\"extra\": \"caf\u00e9\"",
    };

    private static string Space(Random random) => random.Next(4) switch { 0 => " ", 1 => "\n  ", 2 => "\t", _ => "" };

    private static List<string> Shuffle(Random random, List<string> items) => [.. items.OrderBy(_ => random.Next())];

    /// <summary>Cuts the input short, or puts a byte somewhere it may not belong.</summary>
    private static byte[] Corrupt(Random random, byte[] input)
    {
        if (input.Length == 0)
        {
            return input;
        }

        var at = random.Next(input.Length);
        if (random.Next(2) == 0)
        {
            return input[..at];
        }

        byte[] noise = [(byte)'"', (byte)',', (byte)'}', (byte)'[', (byte)'\\', (byte)'x', (byte)'0', (byte)'-', (byte)'.', 0x01, (byte)'e'];
        var corrupted = input.ToArray();
        corrupted[at] = noise[random.Next(noise.Length)];
        return corrupted;
    }
}
