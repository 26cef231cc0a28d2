using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using StreamPredict.Aws.Diagnostics;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Aws.Kinesis.Aggregation;
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
    private readonly OutputPublisher _publisher;
    private readonly InvocationMetrics _metrics = new();
    private readonly ArrayBufferWriter<byte> _out = new(64 * 1024);
    private readonly Utf8JsonWriter _json;
    private readonly byte[] _decoded = new byte[RideInputCaps.MaxRecordBytes];
    private readonly List<OutgoingRecord> _predictions = [];
    private readonly List<OutgoingRecord> _deadLetters = [];
    private readonly List<int> _unpublished = [];
    private readonly PartitionKeys _keys = new();
    private readonly AggregatedRecordDecoder _aggregate = new();
    private byte[] _aggregateBytes = [];
    private AggregateMember _member = AggregateMember.None; // the user record being handled, inside an aggregate
    private byte[] _predictedAt = [];
    private bool _coldStart = true;

    public RideBatchHandler(CompiledModel model, IKinesisWriter writer, RideBatchHandlerOptions options, JsonLog log,
        TimeProvider? clock = null, Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _model = model;
        _version = options.ModelVersion ?? model.Version;
        _writer = new PredictionEventWriter(_version);
        _options = options;
        _log = log;
        _clock = clock ?? TimeProvider.System;
        _json = new Utf8JsonWriter(_out, PredictionEventWriter.WriterOptions);
        _publisher = new OutputPublisher(writer, options.Policy, _clock, delay ?? ((wait, token) => Task.Delay(wait, _clock, token)), log);
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

        StartupTrace.Mark("event decoded");
        var processed = ProcessRecords(text, records, stopAt, requestId);
        StartupTrace.Mark("records predicted");
        for (var i = processed; i < records.Count; i++)
        {
            _unpublished.Add(i);
        }

        if (!_options.TestRun)
        {
            var started = _clock.GetTimestamp();
            await _publisher.PublishAsync(_options.PredictionsStream, _predictions, _options.RejectionsStream, _deadLetters,
                _out.WrittenMemory, _keys, stopAt, _unpublished, _metrics, requestId, cancellationToken).ConfigureAwait(false);

            _metrics.PublishMs = _clock.GetElapsedTime(started).TotalMilliseconds;
            StartupTrace.Mark("published");
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
            if (record.Kinesis.Data.Span(payload).StartsWith(KplFormat.Base64Prefix) && TryProcessAggregate(payload, record, i, requestId))
            {
                continue;
            }

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

        return ParseRideData(_decoded.AsSpan(0, length), out ride, out rideId, out rideIdIsNumber, out reason);
    }

    /// <summary>A record's decoded data (or a user record's, inside an aggregate): the ride, its ride_id kept in <see cref="_keys"/>, or why it is poison.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // one call less per record on the plain path than a shared helper would cost
    private RejectionKind? ParseRideData(ReadOnlySpan<byte> json, out Ride ride, out KeyText rideId, out bool rideIdIsNumber, out string? reason)
    {
        rideId = default;
        RejectionKind? kind;
        ReadOnlySpan<byte> rideIdText;
        try
        {
            kind = RideReader.Read(json, out ride, out rideIdText, out rideIdIsNumber, out reason);
        }
        catch (JsonException exception)
        {
            (ride, rideIdIsNumber, reason) = (default, false, $"the record is not JSON: {exception.Message}");
            return RejectionKind.NotJson;
        }

        if (kind is null && !_keys.TryAddRideId(rideIdText, out rideId))
        {
            reason = $"ride_id {Encoding.UTF8.GetString(rideIdText)} appears earlier in this batch; the first one was kept";
            return RejectionKind.DuplicateRideId;
        }

        return kind;
    }

    // ---- KPL aggregates: each user record is handled as a record of its own; its outcomes point at the aggregate. ----

    /// <summary>
    /// False when the record is not an aggregate after all (its base64 only started like one). Otherwise every user
    /// record becomes a prediction or a dead letter whose SourceIndex is the aggregate's, so a batchItemFailure for any
    /// of them reports the aggregate's sequence number and Lambda redelivers it whole; a corrupt aggregate becomes one
    /// dead letter with the reason.
    /// </summary>
    private bool TryProcessAggregate(ReadOnlySpan<byte> payload, in KinesisEventRecord record, int index, string requestId)
    {
        var base64 = record.Kinesis.Data.Span(payload);
        var capacity = Base64.GetMaxDecodedFromUtf8Length(base64.Length);
        if (capacity > PutRecordsLimits.MaxRecordBytes + 3)
        {
            Reject(payload, record, index, RejectionKind.OverSizeCap, $"the aggregated record is over Kinesis' record size of {PutRecordsLimits.MaxRecordBytes} bytes", requestId);
            return true;
        }

        if (_aggregateBytes.Length < capacity)
        {
            _aggregateBytes = new byte[Math.Max(capacity, 64 * 1024)];
        }

        if (Base64.DecodeFromUtf8(base64, _aggregateBytes, out _, out var length) != OperationStatus.Done || !KplFormat.IsAggregated(_aggregateBytes.AsSpan(0, length)))
        {
            return false;
        }

        var aggregate = _aggregateBytes.AsSpan(0, length);
        if (_aggregate.TryDecode(aggregate) is { } problem)
        {
            Reject(payload, record, index, RejectionKind.InvalidAggregate, problem, requestId);
            return true;
        }

        _metrics.UserRecords += _aggregate.Count;
        for (var j = 0; j < _aggregate.Count; j++)
        {
            var slice = _aggregate.Record(j);
            var data = aggregate.Slice(slice.DataOffset, slice.DataLength);
            var key = _aggregate.PartitionKeyPosition(j);
            _member = new AggregateMember(j, slice.DataOffset, slice.DataLength, key.Offset, key.Length);
            RejectionKind? kind;
            Ride ride = default;
            KeyText rideId = default;
            var rideIdIsNumber = false;
            string? reason;
            if (data.Length > RideInputCaps.MaxRecordBytes)
            {
                (kind, reason) = (RejectionKind.OverSizeCap, $"the user record is over the size cap: {data.Length} bytes, the cap is {RideInputCaps.MaxRecordBytes}");
            }
            else
            {
                kind = ParseRideData(data, out ride, out rideId, out rideIdIsNumber, out reason);
            }

            if (kind is null)
            {
                WritePrediction(payload, record, index, _model.Predict(ride), rideId, rideIdIsNumber);
            }
            else
            {
                Reject(payload, record, index, kind.Value, reason!, requestId);
            }
        }

        _member = AggregateMember.None;
        return true;
    }

    /// <summary>A user record of the aggregate being handled: its place in it, and its data and table partition key in <see cref="_aggregateBytes"/>.</summary>
    private readonly record struct AggregateMember(int SubsequenceNumber, int DataOffset, int DataLength, int KeyOffset, int KeyLength)
    {
        public static AggregateMember None { get; } = new(-1, 0, 0, 0, 0);

        public bool IsNone => SubsequenceNumber < 0;
    }

    // ---- Output: the course's event plus where it came from. Written into one buffer, published as slices. ----

    internal void WritePrediction(ReadOnlySpan<byte> payload, in KinesisEventRecord record, int index, double duration, KeyText rideId, bool rideIdIsNumber)
    {
        _metrics.Predictions++;
        var start = _out.WrittenCount;
        _writer.Write(_out, _json, Source(payload, record), duration, _keys[rideId], rideIdIsNumber, _options.VerbatimOutput);
        _predictions.Add(new OutgoingRecord(start, _out.WrittenCount - start, rideId, index));
    }

    /// <summary>Where the record came from; for a user record of a KPL aggregate, also its place and partition key in it.</summary>
    private PredictionSource Source(ReadOnlySpan<byte> payload, in KinesisEventRecord record) =>
        new(record.Kinesis.SequenceNumber.Span(payload), ShardId(payload, record), record.Kinesis.ApproximateArrivalTimestamp.Span(payload), _predictedAt)
        {
            SubsequenceNumber = _member.SubsequenceNumber,
            PartitionKey = _member.IsNone ? default : _aggregateBytes.AsSpan(_member.KeyOffset, _member.KeyLength),
        };

    private void Reject(ReadOnlySpan<byte> payload, in KinesisEventRecord record, int index, RejectionKind kind, string reason, string requestId)
    {
        _metrics.Rejected++;
        var sequenceNumber = record.Kinesis.SequenceNumber.ToString(payload);
        var shardId = Encoding.UTF8.GetString(ShardId(payload, record));
        if (_member.IsNone)
        {
            _log.Warn("record rejected", requestId,
                LogField.Of("errorKind", kind.Code()), LogField.Of("reason", reason), LogField.Of("sequenceNumber", sequenceNumber), LogField.Of("shardId", shardId));
        }
        else
        {
            _log.Warn("record rejected", requestId, LogField.Of("errorKind", kind.Code()), LogField.Of("reason", reason),
                LogField.Of("sequenceNumber", sequenceNumber), LogField.Of("subsequenceNumber", _member.SubsequenceNumber), LogField.Of("shardId", shardId));
        }
        if (_options.RejectionsStream is null && !_options.TestRun)
        {
            return;
        }

        var data = record.Kinesis.Data.Span(payload);
        var dataLength = data.Length;
        var truncated = data.Length > MaxDeadLetterDataChars;
        var start = BeginOutput();
        _json.WriteStartObject();
        _json.WriteString("error_kind"u8, kind.Code());
        _json.WriteString("reason"u8, reason);
        PredictionEventWriter.WriteSource(_json, Source(payload, record));
        _json.WriteString("rejected_at"u8, _predictedAt);
        if (!_member.IsNone)
        {
            // A user record of an aggregate: its own bytes, base64 as Kinesis data always is.
            var member = _aggregateBytes.AsSpan(_member.DataOffset, _member.DataLength);
            var fits = MaxDeadLetterDataChars / 4 * 3;
            truncated = member.Length > fits;
            _json.WriteBase64String("data"u8, truncated ? member[..fits] : member);
            dataLength = Base64.GetMaxEncodedToUtf8Length(member.Length);
        }
        else if (Utf8.IsValid(data))
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
            _json.WriteNumber("data_length"u8, dataLength);
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
