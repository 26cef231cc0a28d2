using System.Buffers;
using System.Buffers.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using StreamPredict.Aws.Lambda.Events;

namespace StreamPredict.Serving.Predictions;

/// <summary>
/// Writes the course's prediction event, <c>{"model", "version", "prediction": {"ride_duration", "ride_id"}}</c>, plus
/// where the ride came from (<c>source_*</c>) and <c>predicted_at</c>. One instance per model version: the part before the
/// duration is the same for every event, so it is encoded once.
/// </summary>
public sealed class PredictionEventWriter
{
    /// <summary>The course's model name in the output event.</summary>
    public const string ModelName = "ride_duration_prediction_model";

    /// <summary>The output is JSON for machines, not HTML: keep base64 '+' and non-ASCII text unescaped.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly JsonEncodedText EncodedModelName = JsonEncodedText.Encode(ModelName, WriterOptions.Encoder);

    /// <summary>Bytes that JSON (with <see cref="WriterOptions"/>' encoder) leaves unescaped: printable ASCII but '"' and '\'.</summary>
    private static readonly SearchValues<byte> VerbatimBytes = PlainJsonCursor.PlainStringBytes;

    private readonly JsonEncodedText _version;
    private readonly byte[] _head; // the event up to the ride_duration value

    public PredictionEventWriter(string modelVersion)
    {
        _version = JsonEncodedText.Encode(modelVersion, WriterOptions.Encoder);
        _head = [.. "{\"model\":\""u8, .. EncodedModelName.EncodedUtf8Bytes, .. "\",\"version\":\""u8, .. _version.EncodedUtf8Bytes,
            .. "\",\"prediction\":{\"ride_duration\":"u8];
    }

    /// <summary>
    /// Appends one event to <paramref name="output"/>. <paramref name="rideId"/> is a number's JSON text when
    /// <paramref name="rideIdIsNumber"/>, else the string's unescaped UTF-8. <paramref name="json"/> is a writer the
    /// caller reuses; it is reset onto <paramref name="output"/>.
    /// </summary>
    public void Write(IBufferWriter<byte> output, Utf8JsonWriter json, in PredictionSource source, double duration,
        ReadOnlySpan<byte> rideId, bool rideIdIsNumber, bool verbatim = true)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(json);
        if (verbatim && TryWriteVerbatim(output, source, duration, rideId, rideIdIsNumber))
        {
            return;
        }

        json.Reset(output);
        json.WriteStartObject();
        json.WriteString("model"u8, EncodedModelName);
        json.WriteString("version"u8, _version);
        json.WriteStartObject("prediction"u8);
        json.WriteNumber("ride_duration"u8, duration);
        json.WritePropertyName("ride_id"u8);
        if (rideIdIsNumber)
        {
            json.WriteRawValue(rideId, skipInputValidation: true);
        }
        else
        {
            json.WriteStringValue(rideId);
        }

        json.WriteEndObject();
        WriteSource(json, source);
        json.WriteString("predicted_at"u8, source.PredictedAt);
        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>The <c>source_*</c> members, shared with the dead letters so both name their input record alike.</summary>
    public static void WriteSource(Utf8JsonWriter json, in PredictionSource source)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteString("source_sequence_number"u8, source.SequenceNumber);
        json.WriteString("source_shard_id"u8, source.ShardId);
        // Copied as Lambda wrote it (a JSON number the event reader checked); absent only in hand-made events.
        if (source.ArrivalTimestamp.IsEmpty)
        {
            json.WriteNull("source_arrival_timestamp"u8);
        }
        else
        {
            json.WritePropertyName("source_arrival_timestamp"u8);
            json.WriteRawValue(source.ArrivalTimestamp, skipInputValidation: true);
        }

        if (source.SubsequenceNumber >= 0)
        {
            json.WriteNumber("source_subsequence_number"u8, source.SubsequenceNumber);
            json.WriteString("source_partition_key"u8, source.PartitionKey);
        }
    }

    /// <summary>
    /// The event's shape never changes, so when no value needs escaping it is copied together from fixed pieces: the same
    /// bytes the writer path produces, at a fraction of Utf8JsonWriter's per-call bookkeeping, which was the largest single
    /// cost in the function's profile. False (nothing written) sends unusual records down the writer path.
    /// </summary>
    private bool TryWriteVerbatim(IBufferWriter<byte> output, in PredictionSource source, double duration, ReadOnlySpan<byte> rideId, bool rideIdIsNumber)
    {
        var sequenceNumber = source.SequenceNumber;
        var shardId = source.ShardId;
        var arrival = source.ArrivalTimestamp;
        if (source.SubsequenceNumber >= 0 || !double.IsFinite(duration) || arrival.IsEmpty || sequenceNumber.ContainsAnyExcept(VerbatimBytes)
            || shardId.ContainsAnyExcept(VerbatimBytes) || (!rideIdIsNumber && rideId.ContainsAnyExcept(VerbatimBytes)))
        {
            return false;
        }

        // 32 covers any double's shortest round-trip text; 160 the fixed member names.
        var span = output.GetSpan(_head.Length + rideId.Length + sequenceNumber.Length + shardId.Length + arrival.Length + source.PredictedAt.Length + 32 + 160);
        var n = Append(span, 0, _head);
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
        n = Append(span, n, source.PredictedAt);
        n = Append(span, n, "\"}"u8);
        output.Advance(n);
        return true;
    }

    private static int Append(Span<byte> destination, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[at..]);
        return at + bytes.Length;
    }
}
