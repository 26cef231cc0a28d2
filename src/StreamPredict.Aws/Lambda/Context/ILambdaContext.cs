namespace StreamPredict.Aws.Lambda.Context;

/// <summary>What the runtime knows about the invocation being handled.</summary>
public interface ILambdaContext
{
    string AwsRequestId { get; }

    /// <summary>When Lambda stops the invocation (Lambda-Runtime-Deadline-Ms).</summary>
    DateTimeOffset Deadline { get; }

    /// <summary>Time left before <see cref="Deadline"/>, measured on the context's clock.</summary>
    TimeSpan RemainingTime { get; }

    string InvokedFunctionArn { get; }

    string? TraceId { get; }
}
