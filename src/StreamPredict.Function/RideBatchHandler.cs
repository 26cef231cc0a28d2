using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Aws.Lambda.Bootstrap;
using StreamPredict.Aws.Lambda.Context;
using StreamPredict.Aws.Lambda.Events;
using StreamPredict.Function.Observability;
using StreamPredict.Function.Publishing;
using StreamPredict.Model;
using StreamPredict.Serving.Predictions;
using StreamPredict.Serving.Rides;

namespace StreamPredict.Function;

/// <summary>
/// The hot path: Kinesis event → decode → parse → validate → predict → output event → PutRecords → batchItemFailures.
/// Every input record ends as exactly one of: a published prediction, a dead letter (or a logged rejection when no
/// dead-letter stream is set), or a batchItemFailure that Lambda redelivers. Nothing is dropped silently.
/// One instance serves one invocation at a time (Lambda's model); its buffers are reused between invocations.
/// </summary>
internal sealed class RideBatchHandler : ILambdaHandler, IDisposable
{
    /// <summary>A dead letter's original data is cut at this many base64 characters so the dead letter fits a Kinesis record (1 MiB).</summary>
    public const int MaxDeadLetterDataChars = 768 * 1024;

    private readonly CompiledModel _model;
    private readonly string _version;
    private readonly PredictionEventWriter _writer;
    private readonly RideBatchHandlerOptions _options;
    private readonly JsonLog _log;
    private readonly TimeProvider _clock;
    private readonly RetryingPublisher _publisher;
    private readonly InvocationMetrics _metrics = new();
    private readonly ArrayBufferWriter<byte> _out = new(64 * 1024);
    private readonly Utf8JsonWriter _json;
    private readonly byte[] _decoded = new byte[RideInputCaps.MaxRecordBytes];
    private readonly List<OutgoingRecord> _predictions = [];
    private readonly List<OutgoingRecord> _deadLetters = [];
    private readonly List<int> _unpublished = [];
    private readonly PartitionKeys _keys = new();
    private byte[] _predictedAt = [];
    private bool _coldStart = true;

    public RideBatchHandler(CompiledModel model, IKinesisWriter writer, RideBatchHandlerOptions options, JsonLog log,
        TimeProvider? clock = null, Func<TimeSpan, CancellationToken, Task>? delay = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _model = model;
        _version = options.ModelVersion ?? model.Version;
        _writer = new PredictionEventWriter(_version);
        _options = options;
        _log = log;
        _clock = clock ?? TimeProvider.System;
        _json = new Utf8JsonWriter(_out, PredictionEventWriter.WriterOptions);
        _publisher = new RetryingPublisher(writer, _clock, delay ?? ((wait, token) => Task.Delay(wait, _clock, token)),
            random ?? Random.Shared, options.Policy, log);
    }

    public async ValueTask HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, IBufferWriter<byte> response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var requestId = context.AwsRequestId;
        var stopAt = context.Deadline - _options.Policy.DeadlineSafetyMargin;
        BeginInvocation();

        using var records = Decode(payload, requestId);
        var text = records.Text.Span; // what every slice of the records points into (the payload, normally)
        _metrics.RecordsIn = records.Count;
        if (records.Count == 0)
        {
            _log.Warn("empty batch: the event has no records", requestId);
        }

        var processed = ProcessRecords(text, records, stopAt, requestId);
        for (var i = processed; i < records.Count; i++)
        {
            _unpublished.Add(i);
        }

        if (!_options.TestRun)
        {
            var started = _clock.GetTimestamp();
            _metrics.Retried += await _publisher.PublishAsync(_options.PredictionsStream, _out.WrittenMemory, _keys, _predictions, stopAt, _unpublished, requestId, cancellationToken).ConfigureAwait(false);
            if (_options.RejectionsStream is { } rejections)
            {
                _metrics.Retried += await _publisher.PublishAsync(rejections, _out.WrittenMemory, _keys, _deadLetters, stopAt, _unpublished, requestId, cancellationToken).ConfigureAwait(false);
            }

            _metrics.PublishMs = _clock.GetElapsedTime(started).TotalMilliseconds;
        }

        WriteResponse(response, records.Text.Span, records);
        _log.WriteRaw(writer => _metrics.WriteEmf(writer, _clock.GetUtcNow(), _version, requestId));
    }

    public void Dispose() => _json.Dispose();

    /// <summary>The invocation's partition keys; internal for the stage benchmarks.</summary>
    internal PartitionKeys Keys => _keys;

    /// <summary>Clears the per-invocation state; internal for the stage benchmarks.</summary>
    internal void BeginInvocation()
    {
        _metrics.Reset();
        _metrics.ColdStart = _coldStart;
        _coldStart = false;
        _out.ResetWrittenCount();
        _predictions.Clear();
        _deadLetters.Clear();
        _unpublished.Clear();
        _keys.Clear();
        _predictedAt = Encoding.UTF8.GetBytes(_clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
    }

    // ---- Decode: the Lambda event. A malformed event is the caller's mistake, not poison: the invocation fails. ----

    private KinesisRecordList Decode(ReadOnlyMemory<byte> payload, string requestId)
    {
        KinesisRecordList? records;
        try
        {
            records = KinesisEventReader.Read(payload);
        }
        catch (JsonException exception)
        {
            throw InvalidEvent($"the event is not a Kinesis event: {exception.Message}", requestId);
        }

        if (records is null)
        {
            throw InvalidEvent("the event is not a Kinesis event: it has no \"Records\" array", requestId);
        }

        var text = records.Text.Span;
        for (var i = 0; i < records.Count; i++)
        {
            ref readonly var record = ref records[i];
            var problem = !record.EventSource.Span(text).SequenceEqual("aws:kinesis"u8)
                ? $"Records[{i}].eventSource is '{record.EventSource.ToString(text)}', not 'aws:kinesis'"
                : record.Kinesis.SequenceNumber.IsPresent ? null : $"Records[{i}].kinesis.sequenceNumber is missing";
            if (problem is not null)
            {
                records.Dispose();
                throw InvalidEvent(problem, requestId);
            }
        }

        return records;
    }

    private LambdaFunctionException InvalidEvent(string message, string requestId)
    {
        _log.Error(message, requestId, LogField.Of("errorType", "InvalidEvent"));
        return new LambdaFunctionException("InvalidEvent", message);
    }

    // ---- Per record: base64 → UTF-8 JSON → ride → validate → predict → output event, or a dead letter. ----

    /// <summary>Returns how many records were processed; the rest were not started because the deadline is near.</summary>
    private int ProcessRecords(ReadOnlySpan<byte> payload, KinesisRecordList records, DateTimeOffset stopAt, string requestId)
    {
        for (var i = 0; i < records.Count; i++)
        {
            // Reading the clock per record would cost more than the record; every 256 is fine-grained enough.
            if ((i & 255) == 0 && _clock.GetUtcNow() >= stopAt)
            {
                _log.Warn("deadline near: records left for redelivery", requestId, LogField.Of("count", records.Count - i));
                return i;
            }

            ref readonly var record = ref records[i];
            var kind = ParseRecord(payload, record, out var ride, out var rideId, out var rideIdIsNumber, out var reason);
            if (kind is null)
            {
                WritePrediction(payload, record, i, _model.Predict(ride), rideId, rideIdIsNumber);
            }
            else
            {
                Reject(payload, record, i, kind.Value, reason!, requestId);
            }
        }

        return records.Count;
    }

    /// <summary>Null (a ride to predict, its ride_id kept in <see cref="_keys"/>) or why the record is poison.</summary>
    private RejectionKind? ParseRecord(ReadOnlySpan<byte> payload, in KinesisEventRecord record, out Ride ride, out KeyText rideId, out bool rideIdIsNumber, out string? reason)
    {
        ride = default;
        rideId = default;
        rideIdIsNumber = false;
        var data = record.Kinesis.Data;
        if (!data.IsPresent)
        {
            reason = "the record has no kinesis.data";
            return RejectionKind.MissingData;
        }

        var base64 = data.Span(payload);
        if (base64.Length > Base64.GetMaxEncodedToUtf8Length(RideInputCaps.MaxRecordBytes))
        {
            reason = $"the record is over the size cap: about {base64.Length / 4 * 3} bytes, the cap is {RideInputCaps.MaxRecordBytes}";
            return RejectionKind.OverSizeCap;
        }

        var status = Base64.DecodeFromUtf8(base64, _decoded, out _, out var length);
        if (status != OperationStatus.Done)
        {
            reason = status == OperationStatus.DestinationTooSmall
                ? $"the record is over the size cap of {RideInputCaps.MaxRecordBytes} bytes"
                : "kinesis.data is not valid base64";
            return status == OperationStatus.DestinationTooSmall ? RejectionKind.OverSizeCap : RejectionKind.NotBase64;
        }

        var json = _decoded.AsSpan(0, length);
        RejectionKind? kind;
        ReadOnlySpan<byte> rideIdText;
        try
        {
            kind = RideReader.Read(json, out ride, out rideIdText, out rideIdIsNumber, out reason);
        }
        catch (JsonException exception)
        {
            reason = $"the record is not JSON: {exception.Message}";
            return RejectionKind.NotJson;
        }

        if (kind is null && !_keys.TryAddRideId(rideIdText, out rideId))
        {
            reason = $"ride_id {Encoding.UTF8.GetString(rideIdText)} appears earlier in this batch; the first one was kept";
            return RejectionKind.DuplicateRideId;
        }

        return kind;
    }

    // ---- Output: the course's event plus where it came from. Written into one buffer, published as slices. ----

    internal void WritePrediction(ReadOnlySpan<byte> payload, in KinesisEventRecord record, int index, double duration, KeyText rideId, bool rideIdIsNumber)
    {
        _metrics.Predictions++;
        var start = _out.WrittenCount;
        _writer.Write(_out, _json, Source(payload, record), duration, _keys[rideId], rideIdIsNumber, _options.VerbatimOutput);
        _predictions.Add(new OutgoingRecord(start, _out.WrittenCount - start, rideId, index));
    }

    private PredictionSource Source(ReadOnlySpan<byte> payload, in KinesisEventRecord record) =>
        new(record.Kinesis.SequenceNumber.Span(payload), ShardId(payload, record), record.Kinesis.ApproximateArrivalTimestamp.Span(payload), _predictedAt);

    private void Reject(ReadOnlySpan<byte> payload, in KinesisEventRecord record, int index, RejectionKind kind, string reason, string requestId)
    {
        _metrics.Rejected++;
        var sequenceNumber = record.Kinesis.SequenceNumber.ToString(payload);
        _log.Warn("record rejected", requestId,
            LogField.Of("errorKind", kind.Code()), LogField.Of("reason", reason), LogField.Of("sequenceNumber", sequenceNumber),
            LogField.Of("shardId", Encoding.UTF8.GetString(ShardId(payload, record))));
        if (_options.RejectionsStream is null && !_options.TestRun)
        {
            return;
        }

        var data = record.Kinesis.Data.Span(payload);
        var truncated = data.Length > MaxDeadLetterDataChars;
        var start = BeginOutput();
        _json.WriteStartObject();
        _json.WriteString("error_kind"u8, kind.Code());
        _json.WriteString("reason"u8, reason);
        PredictionEventWriter.WriteSource(_json, Source(payload, record));
        _json.WriteString("rejected_at"u8, _predictedAt);
        if (Utf8.IsValid(data))
        {
            _json.WriteString("data"u8, truncated ? data[..MaxDeadLetterDataChars] : data);
        }
        else
        {
            // The event itself carried bytes that are not text; keep them, re-encoded, rather than drop them.
            _json.WriteBase64String("data_bytes_base64"u8, truncated ? data[..MaxDeadLetterDataChars] : data);
        }

        if (truncated)
        {
            _json.WriteBoolean("data_truncated"u8, true);
            _json.WriteNumber("data_length"u8, data.Length);
        }

        _json.WriteEndObject();
        _deadLetters.Add(EndOutput(start, _keys.Keep(record.Kinesis.SequenceNumber.Span(payload)), index));
    }

    /// <summary>eventID is "{shardId}:{sequenceNumber}".</summary>
    private static ReadOnlySpan<byte> ShardId(ReadOnlySpan<byte> payload, in KinesisEventRecord record)
    {
        var eventId = record.EventId.Span(payload);
        var colon = eventId.IndexOf((byte)':');
        return colon < 0 ? eventId : eventId[..colon];
    }

    private int BeginOutput()
    {
        _json.Reset(_out);
        return _out.WrittenCount;
    }

    private OutgoingRecord EndOutput(int start, KeyText partitionKey, int index)
    {
        _json.Flush();
        return new OutgoingRecord(start, _out.WrittenCount - start, partitionKey, index);
    }

    // ---- Response: batchItemFailures (Kinesis partial batch response), or the course's dry-run predictions. ----

    private void WriteResponse(IBufferWriter<byte> response, ReadOnlySpan<byte> payload, KinesisRecordList records)
    {
        using var writer = new Utf8JsonWriter(response, PredictionEventWriter.WriterOptions);
        writer.WriteStartObject();
        if (_options.TestRun)
        {
            WriteOutputs(writer, "predictions"u8, _predictions);
            if (_deadLetters.Count > 0)
            {
                WriteOutputs(writer, "rejections"u8, _deadLetters);
            }
        }

        // A dry run lists failures only when there are some (records the deadline left unstarted).
        if (!_options.TestRun || _unpublished.Count > 0)
        {
            _unpublished.Sort();
            _metrics.Failed = 0;
            writer.WriteStartArray("batchItemFailures"u8);
            for (var i = 0; i < _unpublished.Count; i++)
            {
                if (i > 0 && _unpublished[i] == _unpublished[i - 1])
                {
                    continue;
                }

                _metrics.Failed++;
                writer.WriteStartObject();
                writer.WriteString("itemIdentifier"u8, records[_unpublished[i]].Kinesis.SequenceNumber.Span(payload));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private void WriteOutputs(Utf8JsonWriter writer, ReadOnlySpan<byte> name, List<OutgoingRecord> outputs)
    {
        writer.WriteStartArray(name);
        foreach (var output in outputs)
        {
            writer.WriteRawValue(_out.WrittenSpan.Slice(output.Offset, output.Length), skipInputValidation: true);
        }

        writer.WriteEndArray();
    }
}
