using System.Buffers;
using StreamPredict.Aws.Lambda.Context;
using StreamPredict.Function.Observability;
using StreamPredict.Function.Publishing;
using StreamPredict.Model;

namespace StreamPredict.Function;

/// <summary>
/// The function's handler in a dry run (TEST_RUN: predictions in the response, nothing published, logs discarded), for
/// running the hot path inside another process: `streampredict bench handler` times it. The one public type of the
/// function; everything else stays internal.
/// </summary>
public sealed class DryRunHandler : IDisposable
{
    private readonly JsonLog _log = new(Stream.Null);
    private readonly RideBatchHandler _handler;

    public DryRunHandler(CompiledModel model)
    {
        _handler = new RideBatchHandler(model, DisabledKinesisWriter.Instance, new RideBatchHandlerOptions { TestRun = true }, _log);
    }

    /// <summary>Handles one Kinesis event exactly as the function does; the response lists the predictions and rejections.</summary>
    public ValueTask HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, IBufferWriter<byte> response, CancellationToken cancellationToken)
        => _handler.HandleAsync(payload, context, response, cancellationToken);

    public void Dispose()
    {
        _handler.Dispose();
        _log.Dispose();
    }
}
