namespace StreamPredict.Aws.Kinesis;

/// <summary>A Kinesis call failed; carries the AWS error code, the HTTP status (0 when no response) and message.</summary>
public class KinesisException : Exception
{
    public KinesisException() { }

    public KinesisException(string message) : base(message) { }

    public KinesisException(string message, Exception innerException) : base(message, innerException) { }

    public KinesisException(string errorCode, int statusCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <summary>The AWS error code, e.g. ResourceNotFoundException, without any namespace prefix.</summary>
    public string ErrorCode { get; } = "";

    public int StatusCode { get; }
}

/// <summary>The stream (or shard, or consumer) does not exist.</summary>
public sealed class KinesisResourceNotFoundException : KinesisException
{
    public KinesisResourceNotFoundException() { }
    public KinesisResourceNotFoundException(string message) : base(message) { }
    public KinesisResourceNotFoundException(string message, Exception innerException) : base(message, innerException) { }
    public KinesisResourceNotFoundException(string errorCode, int statusCode, string message) : base(errorCode, statusCode, message) { }
}

/// <summary>A shard's read or write throughput was exceeded (still failing after the retries).</summary>
public sealed class KinesisProvisionedThroughputExceededException : KinesisException
{
    public KinesisProvisionedThroughputExceededException() { }
    public KinesisProvisionedThroughputExceededException(string message) : base(message) { }
    public KinesisProvisionedThroughputExceededException(string message, Exception innerException) : base(message, innerException) { }
    public KinesisProvisionedThroughputExceededException(string errorCode, int statusCode, string message) : base(errorCode, statusCode, message) { }
}

/// <summary>An account or API rate limit was exceeded (still failing after the retries).</summary>
public sealed class KinesisLimitExceededException : KinesisException
{
    public KinesisLimitExceededException() { }
    public KinesisLimitExceededException(string message) : base(message) { }
    public KinesisLimitExceededException(string message, Exception innerException) : base(message, innerException) { }
    public KinesisLimitExceededException(string errorCode, int statusCode, string message) : base(errorCode, statusCode, message) { }
}

/// <summary>The shard iterator is older than five minutes; get a new one.</summary>
public sealed class KinesisExpiredIteratorException : KinesisException
{
    public KinesisExpiredIteratorException() { }
    public KinesisExpiredIteratorException(string message) : base(message) { }
    public KinesisExpiredIteratorException(string message, Exception innerException) : base(message, innerException) { }
    public KinesisExpiredIteratorException(string errorCode, int statusCode, string message) : base(errorCode, statusCode, message) { }
}

/// <summary>The request was malformed or had an invalid argument (ValidationException, InvalidArgumentException...).</summary>
public sealed class KinesisValidationException : KinesisException
{
    public KinesisValidationException() { }
    public KinesisValidationException(string message) : base(message) { }
    public KinesisValidationException(string message, Exception innerException) : base(message, innerException) { }
    public KinesisValidationException(string errorCode, int statusCode, string message) : base(errorCode, statusCode, message) { }
}

/// <summary>The credentials were missing, unknown, expired or not allowed to make the call.</summary>
public sealed class KinesisAccessDeniedException : KinesisException
{
    public KinesisAccessDeniedException() { }
    public KinesisAccessDeniedException(string message) : base(message) { }
    public KinesisAccessDeniedException(string message, Exception innerException) : base(message, innerException) { }
    public KinesisAccessDeniedException(string errorCode, int statusCode, string message) : base(errorCode, statusCode, message) { }
}
