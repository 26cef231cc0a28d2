using System.Diagnostics.CodeAnalysis;

namespace StreamPredict.Aws.S3;

/// <summary>An S3 object or prefix written as <c>s3://bucket/key</c>.</summary>
public sealed record S3Address(string Bucket, string Key)
{
    public const string Scheme = "s3://";

    public static bool IsS3(string? location) => location?.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Parses s3://bucket/key; with <paramref name="allowEmptyKey"/> a bare bucket (s3://bucket or s3://bucket/) is a prefix.</summary>
    public static S3Address Parse(string location, string what, bool allowEmptyKey = false)
    {
        if (!IsS3(location))
        {
            throw new ArgumentException($"{what} '{location}' is not an S3 URL: use s3://bucket/key.");
        }

        return TryParse(location, allowEmptyKey, out var address)
            ? address
            : throw new ArgumentException($"{what} '{location}' is not an S3 object URL: use s3://bucket/key.");
    }

    /// <summary><see cref="Parse"/> without the exception, for callers that report a bad URL their own way.</summary>
    public static bool TryParse(string? location, bool allowEmptyKey, [NotNullWhen(true)] out S3Address? address)
    {
        address = null;
        if (!IsS3(location))
        {
            return false;
        }

        var rest = location![Scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var key = slash < 0 ? "" : rest[(slash + 1)..];
        if (bucket.Length == 0 || (key.Length == 0 && !allowEmptyKey))
        {
            return false;
        }

        address = new S3Address(bucket, key);
        return true;
    }

    /// <summary>A key below this prefix: s3://b/out + "x/y" = s3://b/out/x/y.</summary>
    public S3Address Child(string relative) =>
        this with { Key = Key.Length == 0 ? relative : Key.TrimEnd('/') + "/" + relative };

    public override string ToString() => $"{Scheme}{Bucket}/{Key}";
}
