using System.Xml.Linq;
using StreamPredict.Function.Configuration;
using YamlDotNet.RepresentationModel;

namespace StreamPredict.Tests.Deploy;

public class TemplateTests
{
    // Local-only: a model file on disk means nothing inside Lambda, so the template must not set it.
    private static readonly string[] LocalOnlyVariables = ["MODEL_LOCATION"];

    private const string LogicalId = "StreamPredictFunction";

    private static readonly SamTemplate Template = SamTemplate.Load();

    private static YamlNode FunctionProperties => Template.Function.Get("Properties");

    [Fact]
    public void Function_environment_variables_equal_the_set_the_function_reads()
    {
        var set = FunctionProperties.Get("Environment").Get("Variables").Entries().Select(e => e.Key);

        Assert.Equal(FunctionSettings.VariableNames.Except(LocalOnlyVariables).Order(StringComparer.Ordinal), set.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Handler_and_runtime_match_the_build_output()
    {
        Assert.Equal([LogicalId, SamTemplate.WebFunctionId, SamTemplate.BatchFunctionId], Template.Resources("AWS::Serverless::Function").Select(f => f.LogicalId));
        Assert.Equal("bootstrap", FunctionProperties.Get("Handler").Text());
        Assert.Equal("provided.al2023", FunctionProperties.Get("Runtime").Text());
        Assert.Equal(["x86_64"], FunctionProperties.Get("Architectures").OneOrMany().Select(a => a.Text()));
        Assert.Equal("makefile", Template.Function.Get("Metadata").Get("BuildMethod").Text());

        var codeUri = Path.Combine(SamTemplate.RepositoryRoot, FunctionProperties.Get("CodeUri").Text());
        var project = XDocument.Load(Directory.GetFiles(codeUri, "*.csproj").Single());
        Assert.Equal("bootstrap", project.Descendants("AssemblyName").Single().Value);
        Assert.Equal("Exe", project.Descendants("OutputType").Single().Value);

        // sam build calls the target named after the logical id; provided.al2023 has no .NET (NativeAOT needs none), and x86_64 is linux-x64.
        var makefile = File.ReadAllText(Path.Combine(codeUri, "Makefile"));
        var recipe = RecipeOf(makefile, $"build-{LogicalId}");
        Assert.Contains("dotnet publish", recipe, StringComparison.Ordinal);
        Assert.Contains("-r linux-x64", recipe, StringComparison.Ordinal);
        Assert.Contains("-p:PublishAot=true", recipe, StringComparison.Ordinal);
        Assert.Contains("-o \"$(ARTIFACTS_DIR)\"", recipe, StringComparison.Ordinal);
        Assert.Contains("chmod +x \"$(ARTIFACTS_DIR)/bootstrap\"", recipe, StringComparison.Ordinal);
    }

    [Fact]
    public void No_IAM_statement_uses_a_wildcard_action_or_resource()
    {
        var statements = StatementsIn(Template.Root, "").ToList();
        Assert.True(statements.Count >= 6, $"expected the role's statements, found {statements.Count}");

        foreach (var (where, statement) in statements)
        {
            Assert.Null(statement.Find("NotAction"));
            Assert.Null(statement.Find("NotResource"));
            foreach (var key in new[] { "Action", "Resource" })
            {
                var wildcard = statement.Find(key)?.Scalars()
                    .FirstOrDefault(s => s.Contains('*', StringComparison.Ordinal) && !(key == "Resource" && IsBatchPrefixGrant(where, s)));
                Assert.True(wildcard is null, $"{where}: {key} '{wildcard}' uses '*'");
            }
        }
    }

    [Fact]
    public void Function_uses_the_explicit_role_so_SAM_adds_no_managed_policies()
    {
        // Without Role, SAM generates one with AWSLambdaBasicExecutionRole and AWSLambdaKinesisExecutionRole,
        // whose statements use Resource "*"; managed policies are opaque to the wildcard check above.
        Assert.Equal("FunctionRole", FunctionProperties.Get("Role").ReferencedId());
        Assert.Null(FunctionProperties.Find("Policies"));
        Assert.All(Template.Resources("AWS::IAM::Role"), role => Assert.Null(role.Resource.Get("Properties").Find("ManagedPolicyArns")));
        Assert.Empty(Template.Resources("AWS::IAM::ManagedPolicy"));
    }

    [Fact]
    public void Role_reads_only_the_input_stream_and_writes_only_the_output_and_rejections_streams()
    {
        var readOn = ResourcesAllowing("kinesis:GetRecords").Select(r => r.ReferencedId());
        Assert.Equal(["InputStream"], readOn);
        Assert.Equal(ResourcesAllowing("kinesis:GetRecords"), ResourcesAllowing("kinesis:ListShards"));

        var writeOn = ResourcesAllowing("kinesis:PutRecords").Select(r => r.ReferencedId());
        Assert.Equal(["OutputStream", "RejectionsStream"], writeOn.Order(StringComparer.Ordinal));
        Assert.Empty(ResourcesAllowing("kinesis:ListStreams"));
    }

    [Fact]
    public void Role_gets_exactly_the_model_object_the_function_is_told_to_load()
    {
        var modelKey = FunctionProperties.Get("Environment").Get("Variables").Get("MODEL_KEY").Get("Fn::Sub").Text();
        Assert.Equal("${ExperimentId}/${RunId}/artifacts/model/model.json", modelKey);

        var objectArn = Assert.Single(ResourcesAllowing("s3:GetObject")).Get("Fn::Sub").Text();
        Assert.Equal("arn:${AWS::Partition}:s3:::${ModelBucketName}/" + modelKey, objectArn);
    }

    [Fact]
    public void Streams_are_KMS_encrypted_and_named_by_the_parameters()
    {
        var streams = Template.Resources("AWS::Kinesis::Stream").ToList();

        Assert.Equal(3, streams.Count);
        foreach (var (_, stream) in streams)
        {
            var encryption = stream.Get("Properties").Get("StreamEncryption");
            Assert.Equal("KMS", encryption.Get("EncryptionType").Text());
            Assert.Equal("alias/aws/kinesis", encryption.Get("KeyId").Text());
        }

        var names = streams.ToDictionary(s => s.LogicalId, s => Template.ParameterDefault(s.Resource.Get("Properties").Get("Name").ReferencedId()));
        Assert.Equal("ride_events", names["InputStream"]);
        Assert.Equal("ride_predictions", names["OutputStream"]);
        Assert.Equal("ride_rejections", names["RejectionsStream"]);
    }

    [Fact]
    public void Model_bucket_has_encryption_blocked_public_access_and_versioning()
    {
        var bucket = Template.Resources("AWS::S3::Bucket").Single().Resource.Get("Properties");

        var sse = bucket.Get("BucketEncryption").Get("ServerSideEncryptionConfiguration").OneOrMany().Single();
        Assert.Contains(sse.Get("ServerSideEncryptionByDefault").Get("SSEAlgorithm").Text(), new[] { "AES256", "aws:kms" });
        var block = bucket.Get("PublicAccessBlockConfiguration");
        foreach (var setting in new[] { "BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets" })
        {
            Assert.Equal("true", block.Get(setting).Text());
        }

        Assert.Equal("Enabled", bucket.Get("VersioningConfiguration").Get("Status").Text());
    }

    [Fact]
    public void Kinesis_event_reports_batch_item_failures_and_sends_exhausted_batches_to_an_encrypted_queue()
    {
        var kinesis = FunctionProperties.Get("Events").Entries().Single(e => e.Value.Get("Type").Text() == "Kinesis").Value.Get("Properties");

        Assert.Equal("InputStream", kinesis.Get("Stream").ReferencedId());
        Assert.Equal(["ReportBatchItemFailures"], kinesis.Get("FunctionResponseTypes").OneOrMany().Select(t => t.Text()));
        foreach (var setting in new[]
                 {
                     "StartingPosition", "BatchSize", "MaximumBatchingWindowInSeconds", "ParallelizationFactor",
                     "BisectBatchOnFunctionError", "MaximumRetryAttempts", "MaximumRecordAgeInSeconds",
                 })
        {
            Assert.NotNull(kinesis.Find(setting));
        }

        var queueId = kinesis.Get("DestinationConfig").Get("OnFailure").Get("Destination").ReferencedId();
        var queue = Template.Resource(queueId);
        Assert.Equal("AWS::SQS::Queue", queue.Get("Type").Text());
        Assert.Equal("true", queue.Get("Properties").Get("SqsManagedSseEnabled").Text());
        Assert.Equal([queueId], ResourcesAllowing("sqs:SendMessage").Select(r => r.ReferencedId()));
    }

    [Fact]
    public void LocalStack_creates_the_streams_under_the_template_default_names()
    {
        var compose = File.ReadAllText(Path.Combine(SamTemplate.RepositoryRoot, "infra", "localstack", "docker-compose.yml"));

        foreach (var (variable, parameter) in new[]
                 {
                     ("INPUT_STREAM_NAME", "InputStreamName"), ("OUTPUT_STREAM_NAME", "OutputStreamName"),
                     ("REJECTIONS_STREAM_NAME", "RejectionsStreamName"),
                 })
        {
            Assert.Contains($"{variable}: ${{{variable}:-{Template.ParameterDefault(parameter)}}}", compose, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// The one wildcard allowed: the batch function's role reads the input prefix and writes the output prefix, and S3
    /// can grant a prefix only as "prefix*" (BatchTemplateTests checks these are exactly the prefixes the function uses).
    /// </summary>
    private static bool IsBatchPrefixGrant(string where, string resource) =>
        where.StartsWith("/Resources/BatchFunctionRole/", StringComparison.Ordinal)
        && resource.IndexOf('*', StringComparison.Ordinal) == resource.Length - 1
        && (resource.EndsWith("/${BatchInputPrefix}*", StringComparison.Ordinal) || resource.EndsWith("/${BatchOutputPrefix}*", StringComparison.Ordinal));

    /// <summary>Every IAM statement anywhere in the template (roles, inline policies, resource policies).</summary>
    internal static IEnumerable<(string Where, YamlNode Statement)> StatementsIn(YamlNode node, string path) => node switch
    {
        YamlMappingNode map => map.Children.SelectMany(pair =>
        {
            var childPath = $"{path}/{pair.Key}";
            return pair.Key.Text() == "Statement"
                ? pair.Value.OneOrMany().Select((statement, i) => ($"{childPath}[{i}]", statement))
                : StatementsIn(pair.Value, childPath);
        }),
        YamlSequenceNode sequence => sequence.Children.SelectMany((child, i) => StatementsIn(child, $"{path}[{i}]")),
        _ => [],
    };

    internal static List<YamlNode> ResourcesAllowing(string action, string role = "FunctionRole") =>
        StatementsIn(Template.Resource(role), "")
            .Where(s => s.Statement.Get("Effect").Text() == "Allow" && s.Statement.Find("Action")?.Scalars().Contains(action) == true)
            .SelectMany(s => s.Statement.Get("Resource").OneOrMany())
            .ToList();

    internal static string RecipeOf(string makefile, string target)
    {
        var lines = makefile.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith(target + ":", StringComparison.Ordinal));
        Assert.True(start >= 0, $"Makefile has no target '{target}'");
        return string.Join('\n', lines.Skip(start + 1).TakeWhile(l => l.StartsWith('\t')));
    }
}
