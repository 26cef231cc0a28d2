using StreamPredict.LocalLambda.Invoke;

namespace StreamPredict.Tests.LocalLambda;

public sealed class InvokeRouteTests
{
    private const string Name = "StreamPredictFunction";

    [Theory]
    [InlineData("/2015-03-31/functions/function/invocations", InvokeApi.Rie, "function")]
    [InlineData("/2015-03-31/functions/StreamPredictFunction/invocations", InvokeApi.Lambda, Name)]
    [InlineData("/2015-03-31/functions/arn:aws:lambda:us-east-1:012345678901:function:StreamPredictFunction/invocations", InvokeApi.Lambda, "arn:aws:lambda:us-east-1:012345678901:function:StreamPredictFunction")]
    [InlineData("/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A1%3Afunction%3AStreamPredictFunction%3A%24LATEST/invocations", InvokeApi.Lambda, "arn:aws:lambda:eu-west-1:1:function:StreamPredictFunction:$LATEST")]
    public void The_RIE_path_and_the_Invoke_API_path_for_this_function_invoke(string path, InvokeApi api, string name)
        => Assert.Equal(new InvokeRoute(RouteKind.Invoke, api, name), InvokeRoute.Parse("POST", path, Name));

    [Theory]
    [InlineData("/2015-03-31/functions/other/invocations", "other")]
    [InlineData("/2015-03-31/functions/streampredictfunction/invocations", "streampredictfunction")]
    [InlineData("/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:Other/invocations", "arn:aws:lambda:us-east-1:1:function:Other")]
    [InlineData("/2015-03-31/functions/x:function:StreamPredictFunction/invocations", "x:function:StreamPredictFunction")]
    public void Another_function_name_is_not_found(string path, string name)
        => Assert.Equal(new InvokeRoute(RouteKind.FunctionNotFound, InvokeApi.Lambda, name), InvokeRoute.Parse("POST", path, Name));

    [Theory]
    [InlineData("/")]
    [InlineData("/2015-03-31/functions//invocations")]
    [InlineData("/2015-03-31/functions/function/invocations/")]
    [InlineData("/2015-03-31/functions/a/b/invocations")]
    [InlineData("/2018-06-01/runtime/invocation/next")]
    [InlineData("/2015-03-31/functions/function/invoke")]
    public void Other_paths_are_not_found(string path)
        => Assert.Equal(RouteKind.PathNotFound, InvokeRoute.Parse("POST", path, Name).Kind);

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("post")]
    public void Only_POST_invokes(string method)
        => Assert.Equal(RouteKind.MethodNotAllowed, InvokeRoute.Parse(method, "/2015-03-31/functions/function/invocations", Name).Kind);

    [Fact]
    public void PathFor_escapes_the_name()
    {
        Assert.Equal("/2015-03-31/functions/function/invocations", InvokeRoute.PathFor("function"));
        Assert.Equal("/2015-03-31/functions/a%3Ab/invocations", InvokeRoute.PathFor("a:b"));
    }
}
