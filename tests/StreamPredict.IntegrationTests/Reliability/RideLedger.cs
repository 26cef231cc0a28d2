using System.Globalization;
using System.Text;
using System.Text.Json;
using StreamPredict.Aws.Kinesis;
using StreamPredict.IntegrationTests.Functions;

namespace StreamPredict.IntegrationTests.Reliability;

/// <summary>
/// What went into the input stream (sequence number → ride_id) and the accounting of what came out: every input record
/// must be a prediction, a dead letter, or a record the runner gave up on (its failure file); anything else is lost.
/// </summary>
internal sealed class RideLedger
{
    /// <summary>Poison mixed into the rides: each keeps a ride_id, so the dead letter can be matched by ride_id too.</summary>
    private static readonly string[] PoisonTemplates =
    [
        """{"ride": {"PULocationID": 10, "DOLocationID": 20, "trip_distance": -1}, "ride_id": "{0}"}""",
        """{"ride": {"PULocationID": 10, "trip_distance": 2}, "ride_id": "{0}"}""",
        """{"ride": {"PULocationID": 10, "DOLocationID": 20, "trip_distance": "NaN"}, "ride_id": "{0}"}""",
        """{"ride": {"PULocationID": "ten", "DOLocationID": 20, "trip_distance": 2}, "ride_id": "{0}"}""",
        """{"ride_id": "{0}"}""",
    ];

    private readonly Dictionary<string, string> _rideIdBySequence = new(StringComparer.Ordinal);

    public int Count => _rideIdBySequence.Count;

    public int Poison { get; private set; }

    /// <summary>Writes <paramref name="count"/> records (every <paramref name="poisonEvery"/>-th poison) straight to the emulator, 500 per call.</summary>
    public async Task ProduceAsync(KinesisClient kinesis, string stream, int count, string prefix, int poisonEvery, CancellationToken cancellationToken)
    {
        var random = new Random(count);
        for (var start = 0; start < count; start += 500)
        {
            var pending = Enumerable.Range(start, Math.Min(500, count - start)).Select(i =>
            {
                var id = $"{prefix}-{i:D7}";
                var poison = poisonEvery > 0 && i % poisonEvery == poisonEvery - 1;
                var text = poison
                    ? PoisonTemplates[i / poisonEvery % PoisonTemplates.Length].Replace("{0}", id, StringComparison.Ordinal)
                    : string.Create(CultureInfo.InvariantCulture,
                        $$"""{"ride": {"PULocationID": {{random.Next(1, 266)}}, "DOLocationID": {{random.Next(1, 266)}}, "trip_distance": {{Math.Round(random.NextDouble() * 20, 2)}}}, "ride_id": "{{id}}"}""");
                Poison += poison ? 1 : 0;
                return (Id: id, Entry: new PutRecordsEntry(Encoding.UTF8.GetBytes(text), id));
            }).ToList();
            while (pending.Count > 0)
            {
                var result = await kinesis.PutRecordsAsync(stream, [.. pending.Select(p => p.Entry)], cancellationToken);
                var failed = new List<(string Id, PutRecordsEntry Entry)>();
                for (var i = 0; i < pending.Count; i++)
                {
                    if (result.Records[i].Succeeded)
                    {
                        _rideIdBySequence[result.Records[i].SequenceNumber!] = pending[i].Id;
                    }
                    else
                    {
                        failed.Add(pending[i]);
                    }
                }

                pending = failed;
            }
        }
    }

    /// <summary>Reads the output streams and the runner's failure file and balances them against the input.</summary>
    public async Task<Balance> BalanceAsync(KinesisClient kinesis, string predictions, string rejections, string? failureFile, CancellationToken cancellationToken)
    {
        var predicted = await StreamReading.ReadAllAsync(kinesis, predictions, cancellationToken);
        var letters = await StreamReading.ReadAllAsync(kinesis, rejections, cancellationToken);
        var givenUp = failureFile is not null && File.Exists(failureFile)
            ? File.ReadAllLines(failureFile).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList()
            : [];

        var predictedIds = predicted.Select(p => p.GetProperty("prediction").GetProperty("ride_id").GetString()!).ToList();
        var letterIds = letters.Select(DeadLetterRideId).ToList();
        var predictedSequences = predicted.Select(p => p.GetProperty("source_sequence_number").GetString()!).ToHashSet(StringComparer.Ordinal);
        var letterSequences = letters.Select(l => l.GetProperty("source_sequence_number").GetString()!).ToHashSet(StringComparer.Ordinal);
        var givenUpSequences = givenUp.Select(FailureSequence).ToHashSet(StringComparer.Ordinal);

        var lostSequences = _rideIdBySequence.Keys.Where(s => !predictedSequences.Contains(s) && !letterSequences.Contains(s) && !givenUpSequences.Contains(s)).ToList();
        var outIds = predictedIds.Concat(letterIds).ToHashSet(StringComparer.Ordinal);
        var lostIds = _rideIdBySequence.Where(kv => !givenUpSequences.Contains(kv.Key)).Select(kv => kv.Value).Where(id => !outIds.Contains(id)).ToList();
        var unknown = predictedSequences.Concat(letterSequences).Where(s => !_rideIdBySequence.ContainsKey(s)).Count();
        return new Balance(Count, Poison, predictedIds.Distinct().Count(), predicted.Count - predictedIds.Distinct().Count(),
            letterIds.Distinct().Count(), letters.Count - letterIds.Distinct().Count(), givenUpSequences.Count, lostSequences, lostIds, unknown);
    }

    private static string DeadLetterRideId(JsonElement letter)
    {
        var data = Convert.FromBase64String(letter.GetProperty("data").GetString()!);
        using var record = JsonDocument.Parse(data);
        return record.RootElement.GetProperty("ride_id").GetString()!;
    }

    /// <summary>The runner's failure file line: {"failedAt","reason","attempts","streamArn","shardId","sequenceNumber",...}.</summary>
    private static string FailureSequence(JsonElement failure) => failure.GetProperty("sequenceNumber").GetString()!;
}

/// <param name="LostSequences">Input records found nowhere; must be empty.</param>
/// <param name="LostRideIds">Input ride_ids found in neither predictions nor dead letters (nor given up); must be empty.</param>
/// <param name="UnknownOutputs">Outputs whose source sequence number was never produced; must be 0.</param>
internal sealed record Balance(int In, int Poison, int Predicted, int PredictionDuplicates, int DeadLetters, int DeadLetterDuplicates, int GivenUp,
    IReadOnlyList<string> LostSequences, IReadOnlyList<string> LostRideIds, int UnknownOutputs)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"in {In} ({Poison} poison): predicted {Predicted} (+{PredictionDuplicates} duplicates), dead letters {DeadLetters} (+{DeadLetterDuplicates} duplicates), " +
        $"given up {GivenUp}, lost {LostSequences.Count} by sequence number / {LostRideIds.Count} by ride_id, unknown outputs {UnknownOutputs}");
}
