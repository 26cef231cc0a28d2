using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace StreamPredict.Aws.Configuration;

/// <summary>
/// AWSSDK.Core's default credentials chain, looked up on first use: resolving it touches profile files and may call
/// instance metadata, which a constructor (or a unit test that never signs anything) should not do.
/// </summary>
internal sealed class DefaultChainCredentials : AWSCredentials
{
    // One resolver per process: it caches what it finds, and refreshing credentials (container, instance role)
    // must outlive any single client.
    private static readonly DefaultAWSCredentialsIdentityResolver Resolver = new();

    private readonly Lazy<AWSCredentials> _resolved = new(Resolve, LazyThreadSafetyMode.ExecutionAndPublication);

    public override ImmutableCredentials GetCredentials() => _resolved.Value.GetCredentials();

    public override Task<ImmutableCredentials> GetCredentialsAsync() => _resolved.Value.GetCredentialsAsync();

    private static AWSCredentials Resolve()
    {
        try
        {
            return Resolver.ResolveIdentity(clientConfig: null);
        }
        catch (AmazonClientException e)
        {
            throw new InvalidOperationException(
                "No AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure a profile, " +
                "container or instance role. " + e.Message, e);
        }
    }
}
