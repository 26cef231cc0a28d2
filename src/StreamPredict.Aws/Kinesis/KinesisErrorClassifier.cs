namespace StreamPredict.Aws.Kinesis;

/// <summary>
/// Which Kinesis failures another attempt can fix. Retryable: throttling, server errors (5xx), and the network
/// (no answer, a reset connection, a timeout). Permanent: a missing stream, denied access, KMS key problems and
/// malformed requests: the same call fails the same way until a person changes something, so retrying only burns
/// the invocation's time.
/// </summary>
/// <remarks>
/// Used for whole-call errors (an HTTP error answer, a <see cref="KinesisException"/>) and for PutRecords' per-entry
/// ErrorCode alike. An unknown code is permanent only when an HTTP 3xx/4xx answer carried it (a client error repeats);
/// at the entry level (HTTP 200) an unknown code stays retryable, as InternalFailure is.
/// </remarks>
public static class KinesisErrorClassifier
{
    // The SDKs' throttling codes that Kinesis can return; LimitExceeded is how Kinesis throttles control-plane calls.
    private static readonly HashSet<string> Throttling = new(StringComparer.Ordinal)
    {
        "ProvisionedThroughputExceededException", "LimitExceededException", "ThrottlingException",
        "Throttling", "TooManyRequestsException", "RequestLimitExceeded", "SlowDown", "KMSThrottlingException",
    };

    private static readonly HashSet<string> Permanent = new(StringComparer.Ordinal)
    {
        "ResourceNotFoundException",
        // Access: the caller's identity or its permissions.
        "AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignature",
        "MissingAuthenticationToken", "ExpiredTokenException", "InvalidClientTokenId",
        // Validation: the request itself.
        "ValidationException", "InvalidArgumentException", "SerializationException", "MissingParameter",
        "InvalidParameterCombination", "InvalidParameterValue", "InvalidQueryParameter", "MalformedQueryString",
    };

    /// <summary>True when retrying cannot help. <paramref name="statusCode"/> is the HTTP status (200 for a PutRecords entry, 0 when no answer came).</summary>
    public static bool IsPermanent(string? errorCode, int statusCode)
    {
        if (!string.IsNullOrEmpty(errorCode))
        {
            if (Throttling.Contains(errorCode))
            {
                return false;
            }

            // KMSAccessDenied, KMSDisabled, KMSInvalidState, KMSNotFound, KMSOptInRequired: the stream's key is unusable.
            if (Permanent.Contains(errorCode) || errorCode.StartsWith("KMS", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return statusCode is >= 300 and < 500 and not 408 and not 429;
    }

    /// <summary>Permanent only for a <see cref="KinesisException"/> that says so; transport failures and timeouts are retryable.</summary>
    public static bool IsPermanent(Exception exception) =>
        exception is KinesisException kinesis && IsPermanent(kinesis.ErrorCode, kinesis.StatusCode);
}
