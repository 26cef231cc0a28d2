using Amazon.Runtime;
using StreamPredict.Aws.Configuration;

namespace StreamPredict.Tests.Aws;

public sealed class AwsEnvironmentTests
{
    private static AwsEnvironment Resolve(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        return AwsEnvironment.FromEnvironment(name => map.GetValueOrDefault(name));
    }

    [Fact]
    public void Without_endpoint_variables_both_services_use_the_regional_endpoints()
    {
        var environment = Resolve(("AWS_REGION", "eu-west-1"));

        Assert.Equal(new Uri("https://kinesis.eu-west-1.amazonaws.com"), environment.KinesisEndpoint);
        Assert.Equal(new Uri("https://s3.eu-west-1.amazonaws.com"), environment.S3Endpoint);
        Assert.False(environment.HasCustomS3Endpoint);
    }

    [Fact]
    public void The_global_endpoint_applies_to_both_services()
    {
        var environment = Resolve(("AWS_REGION", "us-east-1"), ("AWS_ENDPOINT_URL", "http://localhost:4566"));

        Assert.Equal(new Uri("http://localhost:4566"), environment.KinesisEndpoint);
        Assert.Equal(new Uri("http://localhost:4566"), environment.S3Endpoint);
        Assert.True(environment.HasCustomS3Endpoint);
    }

    [Fact]
    public void A_service_specific_endpoint_beats_the_alias_and_the_global_one()
    {
        var environment = Resolve(
            ("AWS_REGION", "us-east-1"),
            ("AWS_ENDPOINT_URL", "http://global:1"),
            ("KINESIS_ENDPOINT_URL", "http://alias:2"),
            ("AWS_ENDPOINT_URL_KINESIS", "http://kinesis:3"),
            ("AWS_ENDPOINT_URL_S3", "http://s3:4"));

        Assert.Equal(new Uri("http://kinesis:3"), environment.KinesisEndpoint);
        Assert.Equal(new Uri("http://s3:4"), environment.S3Endpoint);
    }

    [Fact]
    public void The_course_alias_beats_the_global_endpoint_for_kinesis_only()
    {
        var environment = Resolve(
            ("AWS_REGION", "us-east-1"), ("AWS_ENDPOINT_URL", "http://global:1"), ("KINESIS_ENDPOINT_URL", "http://alias:2"));

        Assert.Equal(new Uri("http://alias:2"), environment.KinesisEndpoint);
        Assert.Equal(new Uri("http://global:1"), environment.S3Endpoint);
    }

    [Fact]
    public void The_alias_alone_leaves_s3_on_the_regional_endpoint()
    {
        var environment = Resolve(("AWS_REGION", "us-west-2"), ("KINESIS_ENDPOINT_URL", "http://localhost:4568"));

        Assert.Equal(new Uri("http://localhost:4568"), environment.KinesisEndpoint);
        Assert.Equal(new Uri("https://s3.us-west-2.amazonaws.com"), environment.S3Endpoint);
    }

    [Fact]
    public void Empty_variables_count_as_unset()
    {
        var environment = Resolve(("AWS_REGION", "us-east-1"), ("AWS_ENDPOINT_URL_KINESIS", ""), ("AWS_ENDPOINT_URL", "http://global:1"));

        Assert.Equal(new Uri("http://global:1"), environment.KinesisEndpoint);
    }

    [Fact]
    public void Ignoring_configured_endpoints_falls_back_to_the_regional_ones()
    {
        var environment = Resolve(
            ("AWS_REGION", "us-east-1"), ("AWS_ENDPOINT_URL", "http://global:1"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"));

        Assert.Equal(new Uri("https://kinesis.us-east-1.amazonaws.com"), environment.KinesisEndpoint);
    }

    [Fact]
    public void China_regions_use_the_china_domain()
    {
        Assert.Equal(new Uri("https://kinesis.cn-north-1.amazonaws.com.cn"), Resolve(("AWS_REGION", "cn-north-1")).KinesisEndpoint);
    }

    [Fact]
    public void The_region_comes_from_AWS_REGION_before_AWS_DEFAULT_REGION()
    {
        Assert.Equal("eu-central-1", Resolve(("AWS_REGION", "eu-central-1"), ("AWS_DEFAULT_REGION", "us-west-2")).Region);
        Assert.Equal("us-west-2", Resolve(("AWS_DEFAULT_REGION", "us-west-2")).Region);
    }

    [Fact]
    public void A_missing_region_is_a_clear_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Resolve());

        Assert.Contains("AWS_REGION", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_endpoint_names_the_variable()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => Resolve(("AWS_REGION", "us-east-1"), ("AWS_ENDPOINT_URL_S3", "localhost:4566")));

        Assert.Contains("AWS_ENDPOINT_URL_S3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_in_the_variables_become_the_credentials_and_never_show_in_ToString()
    {
        var environment = Resolve(
            ("AWS_REGION", "us-east-1"), ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
            ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), ("AWS_SESSION_TOKEN", "token-value"));

        var credentials = await environment.Credentials.GetCredentialsAsync();
        Assert.Equal("AKIDEXAMPLE", credentials.AccessKey);
        Assert.Equal("token-value", credentials.Token);
        var text = environment.ToString();
        Assert.DoesNotContain("AKIDEXAMPLE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("EXAMPLEKEY", text, StringComparison.Ordinal);
        Assert.DoesNotContain("token-value", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_keys_the_credentials_come_from_the_sdk_default_chain()
    {
        var environment = Resolve(("AWS_REGION", "us-east-1"));

        Assert.IsNotType<BasicAWSCredentials>(environment.Credentials);
        Assert.Equal("DefaultChainCredentials", environment.Credentials.GetType().Name);
    }
}
