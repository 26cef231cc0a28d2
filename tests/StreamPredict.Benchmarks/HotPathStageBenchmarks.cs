using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Function;
using StreamPredict.Aws.Lambda.Events;
using StreamPredict.Function.Observability;
using StreamPredict.Function.Publishing;
using StreamPredict.Model;
using StreamPredict.Model.Inference;

using StreamPredict.Serving.Rides;

namespace StreamPredict.Benchmarks;

/// <summary>
/// The handler's stages one at a time, over a batch of <see cref="Records"/> records (1 = per record; divide the
/// 10,000 figures by 10,000 for per record): decode the Lambda event, base64, UTF-8 check + ride JSON, the category
/// lookup, the output event, the PutRecords request body. Model-dependent stages are in <see cref="HotPathModelBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
#pragma warning disable CA1001 // BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes the handler and the log.
public class HotPathStageBenchmarks
#pragma warning restore CA1001
{
    private byte[] _event = null!;
    private byte[][] _base64 = null!;
    private byte[][] _rides = null!;
    private Ride[] _parsed = null!;
    private string[] _rideIds = null!;
    private byte[][] _rideIdBytes = null!;
    private KinesisRecordList _decoded = null!;
    private FeatureColumns _columns = null!;
    private RideBatchHandler _handler = null!;
    private JsonLog _log = null!;
    private List<PutRecordsEntry> _entries = null!;
    private readonly byte[] _buffer = new byte[RideInputCaps.MaxRecordBytes];
    private readonly ArrayBufferWriter<byte> _body = new(1 << 20);

    [Params(1, 10_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _rides = BenchData.RideJson(Records);
        _base64 = [.. _rides.Select(json => System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(json)))];
        _event = BenchData.KinesisEvent(_rides);
        _decoded = KinesisEventReader.Read(_event)!;
        _parsed = new Ride[Records];
        _rideIds = new string[Records];
        for (var i = 0; i < Records; i++)
        {
            RideReader.Read(_rides[i], out _parsed[i], out var rideId, out _, out _);
            _rideIds[i] = System.Text.Encoding.UTF8.GetString(rideId);
        }

        _rideIdBytes = [.. _rideIds.Select(System.Text.Encoding.UTF8.GetBytes)];
        var linear = BenchData.LinearArtifact();
        _columns = FeatureColumns.Compile(linear.Features.Columns);
        _log = new JsonLog(Stream.Null);
        _handler = new RideBatchHandler(StreamPredict.Model.CompiledModel.Compile(linear), DisabledKinesisWriter.Instance, new RideBatchHandlerOptions(), _log);
        _entries = [.. _rides.Select((json, i) => new PutRecordsEntry(json, _rideIds[i]))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _decoded.Dispose();
        _handler.Dispose();
        _log.Dispose();
    }

    [Benchmark(Description = "decode: Lambda event JSON")]
    public int DecodeEvent()
    {
        using var decoded = KinesisEventReader.Read(_event)!;
        return decoded.Count;
    }

    [Benchmark(Description = "decode: Lambda event JSON, general reader only")]
    public int DecodeEventGeneral()
    {
        using var decoded = KinesisEventReader.ReadGeneral(_event)!;
        return decoded.Count;
    }

    [Benchmark(Description = "decode: base64")]
    public int DecodeBase64()
    {
        var total = 0;
        foreach (var data in _base64)
        {
            Base64.DecodeFromUtf8(data, _buffer, out _, out var length);
            total += length;
        }

        return total;
    }

    [Benchmark(Description = "parse: ride JSON (UTF-8 check off the plain path) + validate")]
    public int Parse()
    {
        var valid = 0;
        foreach (var json in _rides)
        {
            if (RideReader.Read(json, out _, out _, out _, out _) is null)
            {
                valid++;
            }
        }

        return valid;
    }

    [Benchmark(Description = "features: PU_DO category lookup")]
    public int Features()
    {
        var seen = 0;
        foreach (var ride in _parsed)
        {
            seen += _columns.CategoryColumn(ride.PickupLocationId, ride.DropoffLocationId) >= 0 ? 1 : 0;
        }

        return seen;
    }

    [Benchmark(Description = "serialize: output event (+ keeping its partition key)")]
    public void SerializeOutput()
    {
        _handler.BeginInvocation();
        var records = _decoded;
        for (var i = 0; i < records.Count; i++)
        {
            var rideId = _handler.Keys.Keep(_rideIdBytes[i]);
            _handler.WritePrediction(_event, records[i], i, 21.294545348, rideId, rideIdIsNumber: false);
        }
    }

    [Benchmark(Description = "publish: PutRecords request body (≤500 per call)")]
    public int PutRecordsBody()
    {
        var bytes = 0;
        for (var start = 0; start < _entries.Count; start += 500)
        {
            _body.ResetWrittenCount();
            KinesisRequests.PutRecords(_body, "ride_predictions", _entries.GetRange(start, Math.Min(500, _entries.Count - start)));
            bytes += _body.WrittenCount;
        }

        return bytes;
    }
}
