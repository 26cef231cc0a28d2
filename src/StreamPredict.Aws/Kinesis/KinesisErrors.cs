using System.Text.Json;

namespace StreamPredict.Aws.Kinesis;

/// <summary>Turns an error response into a typed exception and decides what is worth retrying.</summary>
internal static class KinesisErrors
{
    public static KinesisException Create(string operation, string errorCode, int statusCode, string? message)
    {
        var text = $"Kinesis {operation} failed with {errorCode} (HTTP {statusCode}): {(string.IsNullOrEmpty(message) ? "no message" : message)}";
        return errorCode switch
        {
            "ResourceNotFoundException" => new KinesisResourceNotFoundException(errorCode, statusCode, text),
            "ProvisionedThroughputExceededException" => new KinesisProvisionedThroughputExceededException(errorCode, statusCode, text),
            "LimitExceededException" => new KinesisLimitExceededException(errorCode, statusCode, text),
            "ExpiredIteratorException" => new KinesisExpiredIteratorException(errorCode, statusCode, text),
            "ValidationException" or "InvalidArgumentException" or "SerializationException" or "MissingParameter"
                or "InvalidParameterCombination" or "InvalidParameterValue" or "InvalidQueryParameter"
                or "MalformedQueryString" => new KinesisValidationException(errorCode, statusCode, text),
            "AccessDeniedException" or "UnrecognizedClientException" or "InvalidSignatureException"
                or "IncompleteSignature" or "MissingAuthenticationToken" or "ExpiredTokenException"
                or "InvalidClientTokenId" or "KMSAccessDeniedException" => new KinesisAccessDeniedException(errorCode, statusCode, text),
            _ => new KinesisException(errorCode, statusCode, text),
        };
    }

    /// <summary>Reads the code from the body's __type (or the x-amzn-ErrorType header) and the message.</summary>
    public static KinesisException FromResponse(string operation, int statusCode, string? errorTypeHeader, ReadOnlySpan<byte> body)
    {
        string? type = null;
        string? message = null;
        try
        {
            if (!body.IsEmpty && JsonSerializer.Deserialize(body, KinesisJsonContext.Default.ErrorResponse) is { } error)
            {
                type = error.Type;
                message = error.Message;
            }
        }
        catch (JsonException)
        {
            // Proxies and load balancers answer with HTML or plain text; the status code still tells the story.
        }

        var code = Normalize(type) ?? Normalize(errorTypeHeader) ?? $"Http{statusCode}";
        return Create(operation, code, statusCode, message);
    }

    public static bool IsRetryable(KinesisException error) => !KinesisErrorClassifier.IsPermanent(error);

    // "com.amazonaws.kinesis.v20131202#ResourceNotFoundException" and "ResourceNotFoundException:http://..." both
    // appear in the wild.
    private static string? Normalize(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var hash = code.LastIndexOf('#');
        if (hash >= 0)
        {
            code = code[(hash + 1)..];
        }

        var colon = code.IndexOf(':', StringComparison.Ordinal);
        return (colon >= 0 ? code[..colon] : code).Trim();
    }
}
