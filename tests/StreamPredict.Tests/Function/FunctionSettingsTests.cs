using StreamPredict.Function.Configuration;
using StreamPredict.Serving.Models;

namespace StreamPredict.Tests.Functions;

public sealed class FunctionSettingsTests
{
    private static FunctionSettings Read(params (string Name, string Value)[] variables)
        => FunctionSettings.FromEnvironment(name => variables.FirstOrDefault(v => v.Name == name).Value);

    [Fact]
    public void The_course_variables_give_the_course_key_and_defaults()
    {
        var settings = Read(("MODEL_BUCKET", "mlflow-models"), ("RUN_ID", "e1efc53e9bd149078b0c12aeaa6365df"));

        Assert.Equal("ride_predictions", settings.PredictionsStreamName);
        Assert.Null(settings.RejectionsStreamName);
        Assert.Equal("mlflow-models", settings.Model.Bucket);
        Assert.Equal("1/e1efc53e9bd149078b0c12aeaa6365df/artifacts/model/model.json", settings.Model.Key);
        Assert.False(settings.TestRun);
    }

    [Fact]
    public void MODEL_KEY_wins_over_the_course_key_and_MODEL_LOCATION_over_S3()
    {
        Assert.Equal("models/m.json", Read(("MODEL_BUCKET", "b"), ("MODEL_KEY", "models/m.json"), ("RUN_ID", "r")).Model.Key);
        var local = Read(("MODEL_BUCKET", "b"), ("MODEL_LOCATION", "/opt/model"));
        Assert.Equal("/opt/model", local.Model.LocalPath);
        Assert.Null(local.Model.Bucket);
    }

    [Theory]
    [InlineData("Test123", "Test123")]
    [InlineData("  ", null)]
    [InlineData(null, null)]
    public void RUN_ID_is_the_output_version_also_when_MODEL_LOCATION_names_the_model(string? runId, string? expected)
        => Assert.Equal(expected, Read(("MODEL_LOCATION", "/app/model"), ("RUN_ID", runId!)).ModelVersion);

    [Theory]
    [InlineData("True", true)]
    [InlineData("true", true)]
    [InlineData("False", false)]
    [InlineData("", false)]
    public void TEST_RUN_accepts_the_course_spelling(string value, bool expected)
        => Assert.Equal(expected, Read(("MODEL_LOCATION", "m.json"), ("TEST_RUN", value)).TestRun);

    [Theory]
    [InlineData("MODEL_BUCKET", new string[0])]
    [InlineData("RUN_ID", new[] { "MODEL_BUCKET", "b" })]
    [InlineData("TEST_RUN", new[] { "MODEL_LOCATION", "m.json", "TEST_RUN", "yes" })]
    [InlineData("PREDICTIONS_STREAM_NAME", new[] { "MODEL_LOCATION", "m.json", "PREDICTIONS_STREAM_NAME", "bad name!" })]
    [InlineData("REJECTIONS_STREAM_NAME", new[] { "MODEL_LOCATION", "m.json", "REJECTIONS_STREAM_NAME", "a/b" })]
    [InlineData("RUN_ID", new[] { "MODEL_BUCKET", "b", "RUN_ID", "../x" })]
    [InlineData("PUBLISH_CONCURRENCY", new[] { "MODEL_LOCATION", "m.json", "PUBLISH_CONCURRENCY", "0" })]
    [InlineData("PUBLISH_CONCURRENCY", new[] { "MODEL_LOCATION", "m.json", "PUBLISH_CONCURRENCY", "65" })]
    [InlineData("PUBLISH_CONCURRENCY", new[] { "MODEL_LOCATION", "m.json", "PUBLISH_CONCURRENCY", "eight" })]
    [InlineData("PUBLISH_CONCURRENCY", new[] { "MODEL_LOCATION", "m.json", "PUBLISH_CONCURRENCY", "-3" })]
    public void A_bad_configuration_names_the_variable(string variable, string[] pairs)
    {
        var values = Enumerable.Range(0, pairs.Length / 2).Select(i => (pairs[2 * i], pairs[2 * i + 1])).ToArray();
        var error = Assert.ThrowsAny<Exception>(() => Read(values));
        Assert.True(error is FunctionConfigurationException or ModelUnavailableException, error.GetType().Name);
        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PUBLISH_CONCURRENCY_defaults_to_8_and_is_read_with_the_other_settings()
    {
        Assert.Equal(8, Read(("MODEL_LOCATION", "m.json")).PublishConcurrency);
        Assert.Equal(1, Read(("MODEL_LOCATION", "m.json"), ("PUBLISH_CONCURRENCY", "1")).PublishConcurrency);
        Assert.Equal(16, Read(("MODEL_BUCKET", "b"), ("RUN_ID", "r"), ("PUBLISH_CONCURRENCY", " 16 ")).PublishConcurrency);
    }

    [Fact]
    public void VariableNames_lists_every_variable_the_function_reads()
    {
        var read = new HashSet<string>();
        FunctionSettings.FromEnvironment(name => { read.Add(name); return name is "MODEL_BUCKET" or "RUN_ID" ? "b" : null; });
        Assert.Subset(FunctionSettings.VariableNames.ToHashSet(), read);
        Assert.Contains("MODEL_LOCATION", FunctionSettings.VariableNames);
        Assert.Contains("TEST_RUN", FunctionSettings.VariableNames);
    }
}
