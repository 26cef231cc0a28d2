using System.Buffers;
using BenchmarkDotNet.Attributes;
using StreamPredict.Aws.Lambda.Context;
using StreamPredict.Function;
using StreamPredict.Function.Observability;
using StreamPredict.Function.Publishing;
using StreamPredict.Model;

using StreamPredict.Serving.Rides;

namespace StreamPredict.Benchmarks;

/// <summary>
/// Predict alone, and the whole dry-run handler (decode → parse → predict → output event → response), per model,
/// over <see cref="Records"/> records. Allocated bytes / Records is the per-record allocation.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
#pragma warning disable CA1001 // BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes the handler and the log.
public class HotPathModelBenchmarks
#pragma warning restore CA1001
{
    private CompiledModel _model = null!;
    private Ride[] _rides = null!;
    private byte[] _event = null!;
    private RideBatchHandler _handler = null!;
    private JsonLog _log = null!;
    private LambdaContext _context = null!;
    private ArrayBufferWriter<byte> _response = null!;

    [Params("linear", "forest")]
    public string Model { get; set; } = "linear";

    [Params(1, 10_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model = BenchData.Model(Model);
        var rides = BenchData.RideJson(Records);
        _rides = new Ride[Records];
        for (var i = 0; i < Records; i++)
        {
            RideReader.Read(rides[i], out _rides[i], out _, out _, out _);
        }

        _event = BenchData.KinesisEvent(rides);
        _log = new JsonLog(Stream.Null);
        _handler = new RideBatchHandler(_model, DisabledKinesisWriter.Instance, new RideBatchHandlerOptions { TestRun = true }, _log);
        _context = new LambdaContext("bench", DateTimeOffset.UtcNow.AddYears(1), "arn:aws:lambda:us-east-1:000000000000:function:bench", null);
        _response = new ArrayBufferWriter<byte>(Records * 400);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _handler.Dispose();
        _log.Dispose();
    }

    [Benchmark(Description = "predict")]
    public double Predict()
    {
        var sum = 0.0;
        foreach (var ride in _rides)
        {
            sum += _model.Predict(ride);
        }

        return sum;
    }

    [Benchmark(Description = "handler: whole dry run")]
    public void Handler()
    {
        _response.ResetWrittenCount();
        var pending = _handler.HandleAsync(_event, _context, _response, CancellationToken.None);
        if (!pending.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("the dry run completed asynchronously");
        }
    }
}
