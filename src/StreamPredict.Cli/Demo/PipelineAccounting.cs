using System.Text.Json;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.Cli.Tailing;

namespace StreamPredict.Cli.Demo;

/// <summary>
/// Matches every input record to what became of it, by sequence number: a prediction (source_sequence_number), a
/// dead letter (source_sequence_number) or a failure-file line. Whatever matches nothing is lost. Latency is the
/// output record's arrival in its stream minus the input record's arrival (source_arrival_timestamp).
/// </summary>
internal sealed class PipelineAccounting
{
    private readonly HashSet<string> _inputs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _predicted = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deadLettered = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);
    private readonly List<double> _latenciesMs = [];
    private long _predictionRecords, _deadLetterRecords, _unmatched;
    private double _firstInput = double.MaxValue, _lastOutput = double.MinValue;

    /// <summary>How many predictions <see cref="Samples"/> keeps: the rides the demo then asks the other modes about.</summary>
    public const int SampleCount = 5;

    private readonly List<StreamedPrediction> _samples = [];

    /// <summary>The first predictions read, in stream order.</summary>
    public IReadOnlyList<StreamedPrediction> Samples => _samples;

    public void AddInput(ShardRecord record)
    {
        _inputs.Add(record.Record.SequenceNumber);
        _firstInput = Math.Min(_firstInput, Seconds(record.Record.ApproximateArrivalTimestamp));
    }

    public void AddPrediction(ShardRecord record)
    {
        _predictionRecords++;
        if (Source(record) is not var (sequence, arrival))
        {
            _unmatched++;
            return;
        }

        if (_predicted.Add(sequence))
        {
            var outputArrival = Seconds(record.Record.ApproximateArrivalTimestamp);
            _latenciesMs.Add(Math.Max(0, (outputArrival - arrival) * 1000));
            _lastOutput = Math.Max(_lastOutput, outputArrival);
            if (_samples.Count < SampleCount && StreamedPrediction.TryRead(record.Record.Data) is { } sample)
            {
                _samples.Add(sample);
            }
        }
    }

    public void AddDeadLetter(ShardRecord record)
    {
        _deadLetterRecords++;
        if (Source(record) is var (sequence, _))
        {
            _deadLettered.Add(sequence);
            _lastOutput = Math.Max(_lastOutput, Seconds(record.Record.ApproximateArrivalTimestamp));
        }
        else
        {
            _unmatched++;
        }
    }

    public void AddFailure(string sequenceNumber) => _failed.Add(sequenceNumber);

    public long Lost => _inputs.Count(sequence => !_predicted.Contains(sequence) && !_deadLettered.Contains(sequence) && !_failed.Contains(sequence));

    public long RecordsIn => _inputs.Count;

    public long PredictionsOut => _inputs.Count(_predicted.Contains);

    public long DeadLetters => _inputs.Count(sequence => _deadLettered.Contains(sequence) && !_predicted.Contains(sequence));

    public long FailedRecords => _inputs.Count(sequence => _failed.Contains(sequence) && !_predicted.Contains(sequence) && !_deadLettered.Contains(sequence));

    public Summary Report()
    {
        _latenciesMs.Sort();
        var span = _lastOutput - _firstInput;
        return new Summary()
            .Add("records_in", RecordsIn)
            .Add("predictions_out", PredictionsOut)
            .Add("dead_letters", DeadLetters)
            .Add("failed_records", FailedRecords)
            .Add("lost", Lost)
            .Add("duplicates", _predictionRecords + _deadLetterRecords - _predicted.Count - _deadLettered.Count)
            .Add("unmatched_outputs", _unmatched)
            .Add("latency_p50_ms", Percentile(0.50))
            .Add("latency_p99_ms", Percentile(0.99))
            .Add("latency_max_ms", _latenciesMs.Count > 0 ? _latenciesMs[^1] : null)
            .Add("end_to_end_seconds", span > 0 ? span : null)
            .Add("end_to_end_records_per_second", span > 0 ? _inputs.Count / span : null);
    }

    /// <summary>Nearest-rank percentile.</summary>
    private double? Percentile(double p) =>
        _latenciesMs.Count == 0 ? null : _latenciesMs[Math.Clamp((int)Math.Ceiling(p * _latenciesMs.Count) - 1, 0, _latenciesMs.Count - 1)];

    private static double Seconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    private static (string Sequence, double Arrival)? Source(ShardRecord record)
    {
        try
        {
            using var document = JsonDocument.Parse(record.Record.Data);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("source_sequence_number", out var sequence) && sequence.ValueKind == JsonValueKind.String
                && root.TryGetProperty("source_arrival_timestamp", out var arrival) && arrival.ValueKind == JsonValueKind.Number)
            {
                return (sequence.GetString()!, arrival.GetDouble());
            }
        }
        catch (JsonException)
        {
            // Not one of ours; counted as unmatched.
        }

        return null;
    }
}

/// <summary>One prediction read back from the output stream: the ride, the duration exactly as written, and the event.</summary>
internal sealed record StreamedPrediction(string RideId, double Duration, string Json)
{
    /// <summary>Null for anything but a prediction event with a string ride_id.</summary>
    public static StreamedPrediction? TryRead(byte[] data)
    {
        try
        {
            using var document = JsonDocument.Parse(data);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("prediction", out var prediction) && prediction.ValueKind == JsonValueKind.Object
                && prediction.TryGetProperty("ride_id", out var id) && id.ValueKind == JsonValueKind.String
                && prediction.TryGetProperty("ride_duration", out var duration) && duration.ValueKind == JsonValueKind.Number)
            {
                return new StreamedPrediction(id.GetString()!, duration.GetDouble(), System.Text.Encoding.UTF8.GetString(data));
            }
        }
        catch (JsonException)
        {
            // Not a prediction event.
        }

        return null;
    }
}
