using System.Buffers;
using StreamPredict.Aws.Lambda.Context;

namespace StreamPredict.Aws.Lambda.Bootstrap;

/// <summary>Handles one invocation: reads the raw event and writes the raw JSON response.</summary>
public interface ILambdaHandler
{
    /// <summary>Throw <see cref="LambdaFunctionException"/> to choose the errorType Lambda reports.</summary>
    ValueTask HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, IBufferWriter<byte> response, CancellationToken cancellationToken);
}
