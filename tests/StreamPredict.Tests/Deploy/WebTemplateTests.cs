using StreamPredict.Web.Hosting;
using YamlDotNet.RepresentationModel;

namespace StreamPredict.Tests.Deploy;

/// <summary>The web function in template.yaml: API Gateway HTTP API (payload 2.0), IAM by default or JWT, throttled,
/// least privilege, and built with the same NativeAOT publish as the container and the benchmark.</summary>
public class WebTemplateTests
{
    /// <summary>The publish arguments the Makefile, the Dockerfile and the benchmark share.</summary>
    public const string PublishArguments = "-c Release -r linux-x64 -p:PublishAot=true";

    private static readonly SamTemplate Template = SamTemplate.Load();

    private static YamlNode Properties => Template.WebFunction.Get("Properties");

    private static YamlNode ResourceProperties(string logicalId) => Template.Resource(logicalId).Get("Properties");

    [Fact]
    public void Environment_is_exactly_what_the_web_service_reads_less_the_local_model_path()
    {
        var set = Properties.Get("Environment").Get("Variables").Entries().Select(e => e.Key);

        Assert.Equal(WebSettings.VariableNames.Except(["MODEL_LOCATION"]).Order(StringComparer.Ordinal), set.Order(StringComparer.Ordinal));
        Assert.Equal("${ExperimentId}/${RunId}/artifacts/model/model.json", Properties.Get("Environment").Get("Variables").Get("MODEL_KEY").Get("Fn::Sub").Text());
    }

    [Fact]
    public void The_API_is_an_HTTP_API_proxying_payload_2_0_to_the_web_function()
    {
        Assert.Equal("HTTP", ResourceProperties("WebHttpApi").Get("ProtocolType").Text());
        var integration = ResourceProperties("WebIntegration");
        Assert.Equal("AWS_PROXY", integration.Get("IntegrationType").Text());
        Assert.Equal("2.0", integration.Get("PayloadFormatVersion").Text());
        Assert.Equal(SamTemplate.WebFunctionId, integration.Get("IntegrationUri").ReferencedId());
        Assert.Equal("$default", ResourceProperties("WebRoute").Get("RouteKey").Text());
        var permission = ResourceProperties("WebInvokePermission");
        Assert.Equal("apigateway.amazonaws.com", permission.Get("Principal").Text());
        Assert.Equal(SamTemplate.WebFunctionId, permission.Get("FunctionName").ReferencedId());
    }

    [Fact]
    public void Calls_are_IAM_authorized_by_default_and_a_parameter_switches_to_a_JWT_authorizer()
    {
        Assert.Equal("IAM", Template.ParameterDefault("WebAuthorization"));
        var route = ResourceProperties("WebRoute");
        var type = route.Get("AuthorizationType").Get("Fn::If").OneOrMany().Select(n => n.Text()).ToList();
        Assert.Equal(["UseJwtAuthorizer", "JWT", "AWS_IAM"], type);
        var authorizerId = route.Get("AuthorizerId").Get("Fn::If").OneOrMany().ToList();
        Assert.Equal("WebJwtAuthorizer", authorizerId[1].ReferencedId());
        Assert.Equal("AWS::NoValue", authorizerId[2].ReferencedId());

        var condition = Template.Root.Get("Conditions").Get("UseJwtAuthorizer").Get("Fn::Equals").OneOrMany().ToList();
        Assert.Equal("WebAuthorization", condition[0].ReferencedId());
        Assert.Equal("JWT", condition[1].Text());
        var authorizer = Template.Resource("WebJwtAuthorizer");
        Assert.Equal("UseJwtAuthorizer", authorizer.Get("Condition").Text());
        Assert.Equal("JWT", authorizer.Get("Properties").Get("AuthorizerType").Text());
        Assert.Equal("JwtIssuer", authorizer.Get("Properties").Get("JwtConfiguration").Get("Issuer").ReferencedId());
    }

    [Fact]
    public void The_stage_throttles_rate_and_burst_from_parameters()
    {
        var settings = ResourceProperties("WebStage").Get("DefaultRouteSettings");

        Assert.Equal("WebThrottlingRateLimit", settings.Get("ThrottlingRateLimit").ReferencedId());
        Assert.Equal("WebThrottlingBurstLimit", settings.Get("ThrottlingBurstLimit").ReferencedId());
        Assert.Equal("true", ResourceProperties("WebStage").Get("AutoDeploy").Text());
    }

    [Fact]
    public void The_web_role_may_only_read_the_model_object_and_write_its_own_logs()
    {
        Assert.Equal("WebFunctionRole", Properties.Get("Role").ReferencedId());
        var statements = ResourceProperties("WebFunctionRole").Get("Policies").OneOrMany()
            .SelectMany(p => p.Get("PolicyDocument").Get("Statement").OneOrMany()).ToList();
        var grants = statements.SelectMany(s => s.Get("Action").OneOrMany().Select(a => (Action: a.Text(), s.Get("Resource")))).ToList();

        Assert.Equal(["logs:CreateLogStream", "logs:PutLogEvents", "s3:GetObject"], grants.Select(g => g.Action).Order(StringComparer.Ordinal));
        var model = grants.Single(g => g.Action == "s3:GetObject").Item2;
        Assert.Equal("arn:${AWS::Partition}:s3:::${ModelBucketName}/${ExperimentId}/${RunId}/artifacts/model/model.json", model.Get("Fn::Sub").Text());
        Assert.All(grants.Where(g => g.Action.StartsWith("logs:", StringComparison.Ordinal)), g => Assert.Equal("WebFunctionLogGroup", g.Item2.ReferencedId()));
        Assert.All(statements, s => Assert.Equal("Allow", s.Get("Effect").Text()));
    }

    [Fact]
    public void The_Makefile_the_Dockerfile_and_the_benchmark_publish_the_same_NativeAOT_build()
    {
        Assert.Equal("provided.al2023", Properties.Get("Runtime").Text());
        Assert.Equal("bootstrap", Properties.Get("Handler").Text());
        Assert.Equal("makefile", Template.WebFunction.Get("Metadata").Get("BuildMethod").Text());
        var web = Path.Combine(SamTemplate.RepositoryRoot, Properties.Get("CodeUri").Text());
        var makefile = File.ReadAllText(Path.Combine(web, "Makefile"));
        Assert.Contains($"build-{SamTemplate.WebFunctionId}:", makefile, StringComparison.Ordinal);
        Assert.Contains($"StreamPredict.Web.csproj\" {PublishArguments} -o", makefile, StringComparison.Ordinal);
        Assert.Contains("cp \"$(ARTIFACTS_DIR)/publish/streampredict-web\" \"$(ARTIFACTS_DIR)/bootstrap\"", makefile, StringComparison.Ordinal);
        Assert.Contains($"RUN dotnet publish src/StreamPredict.Web {PublishArguments} -o /app", File.ReadAllText(Path.Combine(web, "Dockerfile")), StringComparison.Ordinal);
        Assert.Contains($"dotnet publish src/StreamPredict.Web {PublishArguments} -o", File.ReadAllText(Path.Combine(SamTemplate.RepositoryRoot, "tests", "bench", "web-bench.sh")), StringComparison.Ordinal);
    }
}
