using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using StreamPredict.Batch.Lambda;
using YamlDotNet.RepresentationModel;

namespace StreamPredict.Tests.Deploy;

/// <summary>template.yaml's batch block: the scoring function, its least-privilege role, the backfill state machine and the schedule.</summary>
public partial class BatchTemplateTests
{
    private const string LogicalId = SamTemplate.BatchFunctionId;

    private static readonly SamTemplate Template = SamTemplate.Load();

    private static YamlNode Properties => Template.Resource(LogicalId).Get("Properties");

    private static string Variable(string name) => Properties.Get("Environment").Get("Variables").Get(name) switch
    {
        YamlScalarNode scalar => scalar.Text(),
        var node => node.Get("Fn::Sub").Text(),
    };

    [Fact]
    public void Environment_is_exactly_what_the_batch_function_reads()
    {
        var set = Properties.Get("Environment").Get("Variables").Entries().Select(e => e.Key);

        Assert.Equal(BatchFunctionSettings.VariableNames.Except(["MODEL_LOCATION"]).Order(StringComparer.Ordinal), set.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void It_is_a_provided_runtime_bootstrap_built_by_its_own_makefile_target()
    {
        Assert.Equal("bootstrap", Properties.Get("Handler").Text());
        Assert.Equal("provided.al2023", Properties.Get("Runtime").Text());
        Assert.Equal("BatchFunctionRole", Properties.Get("Role").ReferencedId());
        Assert.Null(Properties.Find("Policies"));
        var codeUri = Path.Combine(SamTemplate.RepositoryRoot, Properties.Get("CodeUri").Text());
        var project = XDocument.Load(Directory.GetFiles(codeUri, "*.csproj").Single());
        Assert.Equal("bootstrap", project.Descendants("AssemblyName").Single().Value);
        var recipe = TemplateTests.RecipeOf(File.ReadAllText(Path.Combine(codeUri, "Makefile")), $"build-{LogicalId}");
        Assert.Contains("dotnet publish", recipe, StringComparison.Ordinal);
        Assert.Contains("-r linux-x64", recipe, StringComparison.Ordinal);
        Assert.Contains("-o \"$(ARTIFACTS_DIR)\"", recipe, StringComparison.Ordinal);
    }

    [Fact]
    public void The_role_reads_the_input_prefix_writes_the_output_prefix_and_reads_only_the_model()
    {
        var inputRoot = Variable("INPUT_ROOT");
        var outputRoot = Variable("OUTPUT_ROOT");
        Assert.Equal("s3://${BatchInputBucketName}/${BatchInputPrefix}", inputRoot);
        Assert.Equal("s3://${BatchOutputBucketName}/${BatchOutputPrefix}", outputRoot);

        var reads = TemplateTests.ResourcesAllowing("s3:GetObject", "BatchFunctionRole").Select(r => r.Get("Fn::Sub").Text()).Order(StringComparer.Ordinal);
        Assert.Equal(
            ["arn:${AWS::Partition}:s3:::${BatchInputBucketName}/${BatchInputPrefix}*",
             "arn:${AWS::Partition}:s3:::${ModelBucketName}/" + Variable("MODEL_KEY")],
            reads);
        Assert.Equal(["arn:${AWS::Partition}:s3:::${BatchOutputBucketName}/${BatchOutputPrefix}*"],
            TemplateTests.ResourcesAllowing("s3:PutObject", "BatchFunctionRole").Select(r => r.Get("Fn::Sub").Text()));
        Assert.Equal(TemplateTests.ResourcesAllowing("s3:PutObject", "BatchFunctionRole"), TemplateTests.ResourcesAllowing("s3:AbortMultipartUpload", "BatchFunctionRole"));
        Assert.Empty(TemplateTests.ResourcesAllowing("s3:ListBucket", "BatchFunctionRole"));
        Assert.Empty(TemplateTests.ResourcesAllowing("s3:DeleteObject", "BatchFunctionRole"));
    }

    [Fact]
    public void The_backfill_state_machine_maps_months_onto_the_function_with_a_max_concurrency_parameter()
    {
        var machine = Template.Resource("BackfillStateMachine").Get("Properties");
        var definition = machine.Get("DefinitionString").Get("Fn::Sub").Text();
        Assert.Contains("\"MaxConcurrency\": ${BackfillMaxConcurrency}", definition, StringComparison.Ordinal);
        Assert.Equal("1", Template.Root.Get("Parameters").Get("BackfillMaxConcurrency").Get("MinValue").Text());

        // What CloudFormation's Fn::Sub makes of it must be valid JSON with a numeric MaxConcurrency.
        using var asl = JsonDocument.Parse(Placeholder().Replace(definition, m => m.Value == "${BackfillMaxConcurrency}" ? "4" : "x"));
        var map = asl.RootElement.GetProperty("States").GetProperty(asl.RootElement.GetProperty("StartAt").GetString()!);
        Assert.Equal("Map", map.GetProperty("Type").GetString());
        Assert.Equal(4, map.GetProperty("MaxConcurrency").GetInt32());
        Assert.Equal("$.months", map.GetProperty("ItemsPath").GetString());
        var selector = map.GetProperty("ItemSelector");
        Assert.Equal(["taxi_type.$", "year.$", "month.$"], selector.EnumerateObject().Select(p => p.Name));
        Assert.Contains("${BatchScoringFunction.Arn}", definition, StringComparison.Ordinal);

        Assert.Equal("BackfillStateMachineRole", machine.Get("RoleArn").ReferencedId());
        var invokes = TemplateTests.ResourcesAllowing("lambda:InvokeFunction", "BackfillStateMachineRole");
        Assert.Equal([LogicalId], invokes.Select(r => r.ReferencedId()));
    }

    [Fact]
    public void A_monthly_schedule_invokes_the_function_with_the_run_date_and_may_do_nothing_else()
    {
        var schedule = Properties.Get("Events").Get("MonthlyRun");
        Assert.Equal("ScheduleV2", schedule.Get("Type").Text());
        var input = schedule.Get("Properties").Get("Input").Get("Fn::Sub").Text();
        Assert.Contains("\"run_date\": \"<aws.scheduler.scheduled-time>\"", input, StringComparison.Ordinal);
        Assert.Matches(@"^cron\(\S+ \S+ \S+ \* \? \*\)$", Template.ParameterDefault("BatchScheduleExpression"));
        Assert.Equal("BatchScheduleRole", schedule.Get("Properties").Get("RoleArn").ReferencedId());

        var invokes = TemplateTests.ResourcesAllowing("lambda:InvokeFunction", "BatchScheduleRole").Select(r => r.Get("Fn::Sub").Text());
        var functionName = Properties.Get("FunctionName").Get("Fn::Sub").Text();
        Assert.Equal(["arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:" + functionName], invokes);
    }

    [GeneratedRegex(@"\$\{[A-Za-z0-9:.]+\}")]
    private static partial Regex Placeholder();
}
