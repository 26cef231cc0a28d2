using StreamPredict.Aws.S3;

namespace StreamPredict.Batch;

/// <summary>A file given on the command line or in an event: a local path, or an S3 object (s3://bucket/key).</summary>
public sealed record DataLocation
{
    private DataLocation(string? localPath, S3Address? s3)
    {
        LocalPath = localPath;
        S3 = s3;
    }

    /// <summary>Null for S3.</summary>
    public string? LocalPath { get; }

    /// <summary>Null for a local path.</summary>
    public S3Address? S3 { get; }

    /// <summary>The last path segment, e.g. green_tripdata_2021-02.parquet.</summary>
    public string FileName => Path.GetFileName(LocalPath ?? S3!.Key);

    public static DataLocation Local(string path) => new(path, null);

    /// <summary>A path or s3:// URL; <paramref name="what"/> (an option or a variable) is named in errors.</summary>
    public static DataLocation Parse(string location, string what)
    {
        if (string.IsNullOrWhiteSpace(location))
        {
            throw new ArgumentException($"{what} is empty: give a path or an s3://bucket/key URL.");
        }

        return S3Address.IsS3(location) ? new DataLocation(null, S3Address.Parse(location, what)) : new DataLocation(location, null);
    }

    /// <summary>A folder or an s3:// prefix, under which <see cref="Child"/> names files.</summary>
    public static DataLocation ParseRoot(string location, string what)
    {
        if (string.IsNullOrWhiteSpace(location))
        {
            throw new ArgumentException($"{what} is empty: give a folder or an s3://bucket/prefix.");
        }

        return S3Address.IsS3(location) ? new DataLocation(null, S3Address.Parse(location, what, allowEmptyKey: true)) : new DataLocation(location, null);
    }

    public DataLocation Child(string relative) =>
        LocalPath is { } path ? new DataLocation(Path.Combine(path, relative.Replace('/', Path.DirectorySeparatorChar)), null) : new DataLocation(null, S3!.Child(relative));

    public override string ToString() => LocalPath ?? S3!.ToString();
}
