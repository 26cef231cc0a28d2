namespace StreamPredict.Aws.Configuration;

/// <summary>Region, endpoints and credentials resolved the AWS SDK way from environment variables.</summary>
public sealed class AwsEnvironment
{
    /// <summary>Resolves from the process environment, or from <paramref name="getVariable"/> in tests.</summary>
    public static AwsEnvironment FromEnvironment(Func<string, string?>? getVariable = null) => throw new NotImplementedException();

    public string Region { get; init; } = "";

    public Uri KinesisEndpoint { get; init; } = new("https://kinesis.us-east-1.amazonaws.com");

    public Uri S3Endpoint { get; init; } = new("https://s3.us-east-1.amazonaws.com");
}
