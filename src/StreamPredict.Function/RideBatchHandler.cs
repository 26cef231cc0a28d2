using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Aws.Kinesis.Aggregation;
using StreamPredict.Aws.Lambda.Bootstrap;
using StreamPredict.Aws.Lambda.Context;
using StreamPredict.Function.Events;
using StreamPredict.Function.Observability;
using StreamPredict.Function.Publishing;
using StreamPredict.Model;

namespace StreamPredict.Function;

/// <summary>
/// The hot path: Kinesis event → decode → parse → validate → predict → output event → PutRecords → batchItemFailures.
/// Every input record ends as exactly one of: a published prediction, a dead letter (or a logged rejection when no
/// dead-letter stream is set), or a batchItemFailure that Lambda redelivers. Nothing is dropped silently.
/// One instance serves one invocation at a time (Lambda's model); its buffers are reused between invocations.
/// </summary>
internal sealed class RideBatchHandler : ILambdaHandler, IDisposable
{
    /// <summary>The course's model name in the output event.</summary>
    public const string OutputModelName = "ride_duration_prediction_model";

    /// <summary>A decoded record above this size is poison. A ride event is ~100 bytes; 16 KiB leaves room for extra fields.</summary>
    public const int MaxRecordBytes = 16 * 1024;

    /// <summary>Deepest JSON nesting accepted in a record. A ride event needs 2 ({ "ride": { } }).</summary>
    public const int MaxJsonDepth = 8;

    /// <summary>Kinesis partition keys are 1..256 Unicode characters; ride_id becomes the partition key.</summary>
    public const int MaxRideIdLength = 256;

    /// <summary>A dead letter's original data is cut at this many base64 characters so the dead letter fits a Kinesis record (1 MiB).</summary>
    public const int MaxDeadLetterDataChars = 768 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // The output is JSON for machines, not HTML: keep base64 '+' and non-ASCII text unescaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly JsonEncodedText EncodedModelName = JsonEncodedText.Encode(OutputModelName, WriterOptions.Encoder);

    private static readonly JsonReaderOptions RecordReaderOptions = new() { MaxDepth = MaxJsonDepth + 1 };

    /// <summary>Bytes that JSON (with <see cref="WriterOptions"/>' encoder) leaves unescaped: printable ASCII but '"' and '\'.</summary>
    private static readonly SearchValues<byte> VerbatimBytes = PlainJsonCursor.PlainStringBytes;

    private readonly CompiledModel _model;
    private readonly JsonEncodedText _encodedVersion; // encoded once, not per record
    private readonly byte[] _predictionHead; // the output event up to the ride_duration value, the same for every record
    private readonly RideBatchHandlerOptions _options;
    private readonly JsonLog _log;
    private readonly TimeProvider _clock;
    private readonly OutputPublisher _publisher;
    private readonly InvocationMetrics _metrics = new();
    private readonly ArrayBufferWriter<byte> _out = new(64 * 1024);
    private readonly Utf8JsonWriter _json;
    private readonly byte[] _decoded = new byte[MaxRecordBytes];
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
        _encodedVersion = JsonEncodedText.Encode(model.Version, WriterOptions.Encoder);
        _options = options;
        _log = log;
        _clock = clock ?? TimeProvider.System;
        _json = new Utf8JsonWriter(_out, WriterOptions);
        _predictionHead = [.. "{\"model\":\""u8, .. EncodedModelName.EncodedUtf8Bytes, .. "\",\"version\":\""u8, .. _encodedVersion.EncodedUtf8Bytes,
            .. "\",\"prediction\":{\"ride_duration\":"u8];
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

        var processed = ProcessRecords(text, records, stopAt, requestId);
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
        }

        WriteResponse(response, records.Text.Span, records);
        _log.WriteRaw(writer => _metrics.WriteEmf(writer, _clock.GetUtcNow(), _model.Version, requestId));
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
        if (base64.Length > Base64.GetMaxEncodedToUtf8Length(MaxRecordBytes))
        {
            reason = $"the record is over the size cap: about {base64.Length / 4 * 3} bytes, the cap is {MaxRecordBytes}";
            return RejectionKind.OverSizeCap;
        }

        var status = Base64.DecodeFromUtf8(base64, _decoded, out _, out var length);
        if (status != OperationStatus.Done)
        {
            reason = status == OperationStatus.DestinationTooSmall
                ? $"the record is over the size cap of {MaxRecordBytes} bytes"
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
            kind = ParseRide(json, out ride, out rideIdText, out rideIdIsNumber, out reason);
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
            var data = _aggregate.Data(aggregate, j);
            var slice = _aggregate.Record(j);
            var key = _aggregate.PartitionKeyPosition(j);
            _member = new AggregateMember(j, slice.DataOffset, slice.DataLength, key.Offset, key.Length);
            RejectionKind? kind;
            Ride ride = default;
            KeyText rideId = default;
            var rideIdIsNumber = false;
            string? reason;
            if (data.Length > MaxRecordBytes)
            {
                (kind, reason) = (RejectionKind.OverSizeCap, $"the user record is over the size cap: {data.Length} bytes, the cap is {MaxRecordBytes}");
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

    /// <summary>
    /// Reads and validates <c>{"ride": {"PULocationID", "DOLocationID", "trip_distance"}, "ride_id"}</c>; other members
    /// are skipped. <paramref name="rideId"/> is the ride_id's UTF-8 text: a number's digits as written, a string unescaped.
    /// </summary>
    internal static RejectionKind? ParseRide(ReadOnlySpan<byte> json, out Ride ride, out ReadOnlySpan<byte> rideId, out bool rideIdIsNumber, out string? reason)
    {
        // Nearly every record is in the producer's plain form: read it without the general reader.
        if (PlainRideReader.TryRead(json, out var plain))
        {
            rideId = json[plain.RideId];
            rideIdIsNumber = plain.RideIdIsNumber;
            return CheckRide(plain.Pickup, plain.Dropoff, plain.Distance, rideId, out ride, out reason);
        }

        // The plain path accepts ASCII only, so only the rest needs the UTF-8 check.
        if (!Utf8.IsValid(json))
        {
            (ride, rideIdIsNumber, reason) = (default, false, "the record is not UTF-8 text");
            rideId = default;
            return RejectionKind.NotUtf8;
        }

        return ParseRideGeneral(json, out ride, out rideId, out rideIdIsNumber, out reason);
    }

    /// <summary><see cref="ParseRide"/> for any JSON, with Utf8JsonReader; internal for the test that compares both paths.</summary>
    internal static RejectionKind? ParseRideGeneral(ReadOnlySpan<byte> json, out Ride ride, out ReadOnlySpan<byte> rideId, out bool rideIdIsNumber, out string? reason)
    {
        ride = default;
        rideId = default;
        rideIdIsNumber = false;
        var hasRideId = false;
        reason = null;
        var reader = new Utf8JsonReader(json, RecordReaderOptions);
        if (!reader.Read())
        {
            reason = "the record is empty";
            return RejectionKind.NotJson;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reason = $"the record is JSON {reader.TokenType}, not an object";
            return reader.TokenType == JsonTokenType.StartArray && !TrySkip(ref reader) ? TooDeep(out reason) : RejectionKind.NotAnObject;
        }

        bool hasRide = false, hasPickup = false, hasDropoff = false, hasDistance = false;
        int pickup = 0, dropoff = 0;
        double distance = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("ride"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reason = $"\"ride\" is {reader.TokenType}, not an object";
                    return RejectionKind.RideNotAnObject;
                }

                hasRide = true;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("PULocationID"u8) || reader.ValueTextEquals("DOLocationID"u8))
                    {
                        var isPickup = reader.ValueTextEquals("PULocationID"u8);
                        reader.Read();
                        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var id))
                        {
                            reason = $"{(isPickup ? "PULocationID" : "DOLocationID")} is {Describe(ref reader)}, not an integer";
                            return RejectionKind.LocationIdWrongType;
                        }

                        (pickup, hasPickup, dropoff, hasDropoff) = isPickup ? (id, true, dropoff, hasDropoff) : (pickup, hasPickup, id, true);
                    }
                    else if (reader.ValueTextEquals("trip_distance"u8))
                    {
                        reader.Read();
                        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out distance))
                        {
                            reason = $"trip_distance is {Describe(ref reader)}, not a number";
                            return RejectionKind.DistanceWrongType;
                        }

                        hasDistance = true;
                    }
                    else if (!reader.Read() || !TrySkip(ref reader))
                    {
                        return TooDeep(out reason);
                    }
                }
            }
            else if (reader.ValueTextEquals("ride_id"u8))
            {
                reader.Read();
                switch (reader.TokenType)
                {
                    case JsonTokenType.Number:
                        rideId = reader.ValueSpan;
                        (rideIdIsNumber, hasRideId) = (true, true);
                        break;
                    case JsonTokenType.String:
                        rideId = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
                        (rideIdIsNumber, hasRideId) = (false, true);
                        break;
                    case JsonTokenType.Null:
                        hasRideId = false;
                        break;
                    default:
                        reason = $"ride_id is {Describe(ref reader)}, not a number or a string";
                        return TrySkip(ref reader) ? RejectionKind.RideIdWrongType : TooDeep(out reason);
                }
            }
            else if (!reader.Read() || !TrySkip(ref reader))
            {
                return TooDeep(out reason);
            }
        }

        // Rejects trailing content after the object (Read throws JsonException on it).
        while (reader.Read())
        {
        }

        if (!hasRide)
        {
            reason = "\"ride\" is missing";
            return RejectionKind.RideMissing;
        }

        if (!hasPickup || !hasDropoff)
        {
            reason = $"{(hasPickup ? "DOLocationID" : "PULocationID")} is missing from \"ride\"";
            return RejectionKind.LocationIdMissing;
        }

        if (!hasDistance)
        {
            reason = "trip_distance is missing from \"ride\"";
            return RejectionKind.DistanceMissing;
        }

        if (!hasRideId)
        {
            reason = "ride_id is missing (or null)";
            return RejectionKind.RideIdMissing;
        }

        return CheckRide(pickup, dropoff, distance, rideId, out ride, out reason);
    }

    private static RejectionKind? CheckRide(int pickup, int dropoff, double distance, ReadOnlySpan<byte> rideId, out Ride ride, out string? reason)
    {
        ride = default;
        reason = null;

        // Kinesis counts a partition key in characters. UTF-8 never has more characters than bytes: only a long one needs counting.
        if (rideId.IsEmpty || (rideId.Length > MaxRideIdLength && Encoding.UTF8.GetCharCount(rideId) > MaxRideIdLength))
        {
            reason = $"ride_id must be 1..{MaxRideIdLength} characters (it becomes the Kinesis partition key), but has {Encoding.UTF8.GetCharCount(rideId)}";
            return RejectionKind.RideIdWrongType;
        }

        ride = new Ride(pickup, dropoff, distance);
        if (RideValidator.Validate(ride) is { } invalid)
        {
            reason = invalid;
            var distanceOk = double.IsFinite(distance) && distance is >= 0 and <= RideValidator.MaxTripDistanceMiles;
            return distanceOk ? RejectionKind.InvalidLocationId : RejectionKind.InvalidDistance;
        }

        return null;
    }

    /// <summary>Skips the value the reader is on; false when it nests deeper than <see cref="MaxJsonDepth"/>.</summary>
    private static bool TrySkip(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return true;
        }

        var depth = reader.CurrentDepth;
        do
        {
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth + 1 > MaxJsonDepth)
            {
                return false;
            }
        }
        while (reader.Read() && reader.CurrentDepth > depth);

        return true;
    }

    private static RejectionKind TooDeep(out string reason)
    {
        reason = $"the record nests JSON deeper than {MaxJsonDepth} levels";
        return RejectionKind.TooDeep;
    }

    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number => $"the number {Encoding.UTF8.GetString(reader.ValueSpan)}",
        JsonTokenType.String => "a string",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => reader.TokenType.ToString(),
    };

    // ---- Output: the course's event plus where it came from. Written into one buffer, published as slices. ----

    internal void WritePrediction(ReadOnlySpan<byte> payload, in KinesisEventRecord record, int index, double duration, KeyText rideId, bool rideIdIsNumber)
    {
        _metrics.Predictions++;
        var start = _out.WrittenCount;
        if (_options.VerbatimOutput && TryWritePredictionVerbatim(payload, record, duration, _keys[rideId], rideIdIsNumber))
        {
            _predictions.Add(new OutgoingRecord(start, _out.WrittenCount - start, rideId, index));
            return;
        }

        start = BeginOutput();
        _json.WriteStartObject();
        _json.WriteString("model"u8, EncodedModelName);
        _json.WriteString("version"u8, _encodedVersion);
        _json.WriteStartObject("prediction"u8);
        _json.WriteNumber("ride_duration"u8, duration);
        _json.WritePropertyName("ride_id"u8);
        if (rideIdIsNumber)
        {
            _json.WriteRawValue(_keys[rideId], skipInputValidation: true);
        }
        else
        {
            _json.WriteStringValue(_keys[rideId]);
        }

        _json.WriteEndObject();
        WriteSource(payload, record);
        _json.WriteString("predicted_at"u8, _predictedAt);
        _json.WriteEndObject();
        _predictions.Add(EndOutput(start, rideId, index));
    }

    /// <summary>
    /// The output event's shape never changes, so when no value needs escaping it is copied together from fixed pieces:
    /// the same bytes the writer path above produces, at a fraction of Utf8JsonWriter's per-call bookkeeping, which was
    /// the largest single cost in the profile. False (nothing written) sends unusual records down the writer path.
    /// </summary>
    private bool TryWritePredictionVerbatim(ReadOnlySpan<byte> payload, in KinesisEventRecord record, double duration, ReadOnlySpan<byte> rideId, bool rideIdIsNumber)
    {
        var sequenceNumber = record.Kinesis.SequenceNumber.Span(payload);
        var shardId = ShardId(payload, record);
        var arrival = record.Kinesis.ApproximateArrivalTimestamp.Span(payload);
        if (!_member.IsNone || !double.IsFinite(duration) || arrival.IsEmpty || sequenceNumber.ContainsAnyExcept(VerbatimBytes)
            || shardId.ContainsAnyExcept(VerbatimBytes) || (!rideIdIsNumber && rideId.ContainsAnyExcept(VerbatimBytes)))
        {
            return false;
        }

        // 32 covers any double's shortest round-trip text; 160 the fixed member names.
        var span = _out.GetSpan(_predictionHead.Length + rideId.Length + sequenceNumber.Length + shardId.Length + arrival.Length + _predictedAt.Length + 32 + 160);
        var n = Append(span, 0, _predictionHead);
        Utf8Formatter.TryFormat(duration, span[n..], out var written);
        n = Append(span, n + written, ",\"ride_id\":"u8);
        if (!rideIdIsNumber)
        {
            span[n++] = (byte)'"';
        }

        n = Append(span, n, rideId);
        n = Append(span, n, rideIdIsNumber ? "},\"source_sequence_number\":\""u8 : "\"},\"source_sequence_number\":\""u8);
        n = Append(span, n, sequenceNumber);
        n = Append(span, n, "\",\"source_shard_id\":\""u8);
        n = Append(span, n, shardId);
        n = Append(span, n, "\",\"source_arrival_timestamp\":"u8);
        n = Append(span, n, arrival);
        n = Append(span, n, ",\"predicted_at\":\""u8);
        n = Append(span, n, _predictedAt);
        n = Append(span, n, "\"}"u8);
        _out.Advance(n);
        return true;
    }

    private static int Append(Span<byte> destination, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[at..]);
        return at + bytes.Length;
    }

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
        WriteSource(payload, record);
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

    private void WriteSource(ReadOnlySpan<byte> payload, in KinesisEventRecord record)
    {
        _json.WriteString("source_sequence_number"u8, record.Kinesis.SequenceNumber.Span(payload));
        _json.WriteString("source_shard_id"u8, ShardId(payload, record));
        // Copied as Lambda wrote it (a JSON number the reader checked); absent only in hand-made events.
        var arrival = record.Kinesis.ApproximateArrivalTimestamp;
        if (arrival.IsPresent)
        {
            _json.WritePropertyName("source_arrival_timestamp"u8);
            _json.WriteRawValue(arrival.Span(payload), skipInputValidation: true);
        }
        else
        {
            _json.WriteNull("source_arrival_timestamp"u8);
        }

        if (!_member.IsNone)
        {
            _json.WriteNumber("source_subsequence_number"u8, _member.SubsequenceNumber);
            _json.WriteString("source_partition_key"u8, _aggregateBytes.AsSpan(_member.KeyOffset, _member.KeyLength));
        }
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
        using var writer = new Utf8JsonWriter(response, WriterOptions);
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
