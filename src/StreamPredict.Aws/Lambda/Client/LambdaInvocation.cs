using StreamPredict.Aws.Lambda.Context;

namespace StreamPredict.Aws.Lambda.Client;

/// <summary>One event from /invocation/next: its payload and its context.</summary>
public sealed record LambdaInvocation(ReadOnlyMemory<byte> Payload, LambdaContext Context);
