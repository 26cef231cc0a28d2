namespace StreamPredict.Aws.Lambda.Context;

/// <summary>The context of one invocation, built from the /next response headers.</summary>
public sealed class LambdaContext : ILambdaContext
{
    private readonly TimeProvider _clock;

    public LambdaContext(string awsRequestId, DateTimeOffset deadline, string invokedFunctionArn, string? traceId, TimeProvider? clock = null)
    {
        AwsRequestId = awsRequestId;
        Deadline = deadline;
        InvokedFunctionArn = invokedFunctionArn;
        TraceId = traceId;
        _clock = clock ?? TimeProvider.System;
    }

    public string AwsRequestId { get; }

    public DateTimeOffset Deadline { get; }

    public TimeSpan RemainingTime => Deadline - _clock.GetUtcNow();

    public string InvokedFunctionArn { get; }

    public string? TraceId { get; }
}
