namespace StreamPredict.Aws.Lambda.Client;

/// <summary>Names and paths of the Lambda Runtime API, version 2018-06-01.</summary>
public static class RuntimeApiHeaders
{
    public const string ApiVersionPrefix = "/2018-06-01/runtime";
    public const string RequestId = "Lambda-Runtime-Aws-Request-Id";
    public const string DeadlineMs = "Lambda-Runtime-Deadline-Ms";
    public const string InvokedFunctionArn = "Lambda-Runtime-Invoked-Function-Arn";
    public const string TraceId = "Lambda-Runtime-Trace-Id";
    public const string FunctionErrorType = "Lambda-Runtime-Function-Error-Type";
    public const string ErrorContentType = "application/vnd.aws.lambda.error+json";

    /// <summary>The variable the X-Ray SDKs read; the runtime sets it per invocation.</summary>
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    /// <summary>host:port of the Runtime API, set by Lambda (or by a local emulator).</summary>
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";
}
