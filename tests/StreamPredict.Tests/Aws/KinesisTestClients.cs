using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.Kinesis;

namespace StreamPredict.Tests.Aws;

internal static class KinesisTestClients
{
    public static readonly AwsEnvironment Environment = AwsEnvironment.FromEnvironment(name => name switch
    {
        "AWS_REGION" => "us-east-1",
        "AWS_ENDPOINT_URL_KINESIS" => "http://127.0.0.1:4567",
        "AWS_ACCESS_KEY_ID" => "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY" => "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        _ => null,
    });

    /// <summary>A client over <paramref name="handler"/> that retries up to <paramref name="maxAttempts"/> times without waiting.</summary>
    public static KinesisClient Create(HttpMessageHandler handler, int maxAttempts = 4) =>
        new(Environment, handler, KinesisRetryPolicy.WithoutDelay(maxAttempts), TimeProvider.System);
}
