using System.Globalization;
using Amazon.Runtime;

namespace StreamPredict.Aws.Configuration;

/// <summary>Region, endpoints and credentials resolved the AWS SDK way from environment variables.</summary>
/// <remarks>
/// Endpoint order, most specific first: AWS_ENDPOINT_URL_KINESIS / AWS_ENDPOINT_URL_S3, then (Kinesis only) the
/// course's KINESIS_ENDPOINT_URL, then AWS_ENDPOINT_URL, then the real regional endpoint. The alias sits with the
/// service-specific variable because it names one service, and the SDK lets a service-specific setting beat the
/// global one. AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true skips all of them, as in the SDK.
/// Region: AWS_REGION, then AWS_DEFAULT_REGION; there is no default, so a missing region fails loudly.
/// Credentials: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN) from the given variables, else
/// AWSSDK.Core's default chain (environment, profile, container, instance metadata), resolved on first use.
/// </remarks>
public sealed class AwsEnvironment
{
    /// <summary>Resolves from the process environment, or from <paramref name="getVariable"/> in tests.</summary>
    public static AwsEnvironment FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        string? Get(string name) => getVariable(name) is { Length: > 0 } value ? value.Trim() : null;

        var region = Get("AWS_REGION") ?? Get("AWS_DEFAULT_REGION")
            ?? throw new InvalidOperationException(
                "No AWS region is configured: set AWS_REGION (or AWS_DEFAULT_REGION), e.g. AWS_REGION=us-east-1.");

        var ignoreConfigured = string.Equals(Get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase);
        Uri? Configured(params string[] names)
        {
            if (ignoreConfigured)
            {
                return null;
            }

            foreach (var name in names)
            {
                if (Get(name) is { } value)
                {
                    return ParseEndpoint(name, value);
                }
            }

            return null;
        }

        return new AwsEnvironment
        {
            Region = region,
            KinesisEndpoint = Configured("AWS_ENDPOINT_URL_KINESIS", "KINESIS_ENDPOINT_URL", "AWS_ENDPOINT_URL")
                ?? RegionalEndpoint("kinesis", region),
            S3Endpoint = Configured("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL") ?? RegionalEndpoint("s3", region),
            Credentials = CredentialsFrom(Get),
        };
    }

    public string Region { get; init; } = "";

    public Uri KinesisEndpoint { get; init; } = new("https://kinesis.us-east-1.amazonaws.com");

    public Uri S3Endpoint { get; init; } = new("https://s3.us-east-1.amazonaws.com");

    /// <summary>The credentials to sign with; by default AWSSDK.Core's default chain, resolved on first use.</summary>
    public AWSCredentials Credentials { get; init; } = new DefaultChainCredentials();

    /// <summary>True when S3 goes to a configured (emulator/LocalStack) endpoint rather than the regional one.</summary>
    public bool HasCustomS3Endpoint => !S3Endpoint.Host.EndsWith(".amazonaws.com", StringComparison.OrdinalIgnoreCase)
        && !S3Endpoint.Host.EndsWith(".amazonaws.com.cn", StringComparison.OrdinalIgnoreCase);

    /// <summary>Safe to log: names where the credentials come from, never the keys themselves.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"region={Region} kinesis={KinesisEndpoint} s3={S3Endpoint} credentials={Credentials.GetType().Name}");

    internal static Uri RegionalEndpoint(string service, string region)
    {
        var suffix = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri($"https://{service}.{region}.{suffix}");
    }

    private static Uri ParseEndpoint(string variable, string value)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        throw new InvalidOperationException(
            $"{variable}='{value}' is not an absolute http(s) URL, e.g. http://localhost:4566.");
    }

    private static AWSCredentials CredentialsFrom(Func<string, string?> get)
    {
        var accessKey = get("AWS_ACCESS_KEY_ID");
        var secretKey = get("AWS_SECRET_ACCESS_KEY");
        if (accessKey is null || secretKey is null)
        {
            return new DefaultChainCredentials();
        }

        return get("AWS_SESSION_TOKEN") is { } token
            ? new SessionAWSCredentials(accessKey, secretKey, token)
            : new BasicAWSCredentials(accessKey, secretKey);
    }
}
