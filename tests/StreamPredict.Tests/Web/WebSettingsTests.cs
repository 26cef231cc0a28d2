using StreamPredict.Serving.Models;
using StreamPredict.Web.Hosting;
using StreamPredict.Web.Observability;

namespace StreamPredict.Tests.Web;

public sealed class WebSettingsTests
{
    [Fact]
    public void The_model_is_found_as_the_function_finds_it_and_the_caps_have_defaults()
    {
        var settings = WebSettings.FromEnvironment(name => name switch { "MODEL_BUCKET" => "b", "RUN_ID" => "r", _ => null });

        Assert.Equal("s3://b/1/r/artifacts/model/model.json", settings.Model.ToString());
        Assert.Null(settings.PollInterval);
        Assert.Equal((1024 * 1024, 10_000), (settings.MaxBodyBytes, settings.MaxBatchRides));
    }

    [Theory]
    [InlineData("MODEL_POLL_SECONDS", "-1")]
    [InlineData("MODEL_POLL_SECONDS", "soon")]
    [InlineData("MAX_REQUEST_BYTES", "0")]
    [InlineData("MAX_BATCH_RIDES", "1e4")]
    public void A_bad_value_names_the_variable(string variable, string value)
    {
        var error = Assert.Throws<WebConfigurationException>(() => WebSettings.FromEnvironment(name => name == variable ? value : name == "MODEL_LOCATION" ? "m.json" : null));

        Assert.StartsWith($"{variable}='{value}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_model_variables_is_the_function_s_error()
    {
        var error = Assert.Throws<ModelUnavailableException>(() => WebSettings.FromEnvironment(_ => null));

        Assert.StartsWith("MODEL_BUCKET is not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prometheus_text_escapes_label_values_and_formats_infinity()
    {
        var text = new PrometheusText().Family("m", "gauge", "help").Sample("m", double.PositiveInfinity, ("l", "a\"b\\c\nd")).ToString();

        Assert.Equal("# HELP m help\n# TYPE m gauge\nm{l=\"a\\\"b\\\\c\\nd\"} +Inf\n", text);
    }
}
