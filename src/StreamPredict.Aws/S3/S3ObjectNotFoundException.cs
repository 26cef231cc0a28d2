namespace StreamPredict.Aws.S3;

/// <summary>The bucket or the key does not exist; the message names both.</summary>
public sealed class S3ObjectNotFoundException : Exception
{
    public S3ObjectNotFoundException() { }
    public S3ObjectNotFoundException(string message) : base(message) { }
    public S3ObjectNotFoundException(string message, Exception inner) : base(message, inner) { }
    public string Bucket { get; init; } = "";
    public string Key { get; init; } = "";
}
