using System.Text;
using Microsoft.AspNetCore.Http.Features;
using StreamPredict.Aws.Lambda.Bootstrap;
using StreamPredict.Web.Lambda;

namespace StreamPredict.Tests.Web;

public sealed class ApiGatewayRequestTests
{
    private const string Event = """
        {"version": "2.0", "routeKey": "$default", "rawPath": "/prod/v2/models/m%20x/infer", "rawQueryString": "a=1&b=2",
         "cookies": ["c1=v1", "c2=v2"], "headers": {"content-type": "application/json", "x-forwarded-proto": "https"},
         "queryStringParameters": {"a": "1"},
         "requestContext": {"requestId": "req-1", "stage": "prod", "http": {"method": "POST", "path": "/prod/v2/models/m x/infer", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7"}},
         "body": "eyJhIjoxfQ==", "isBase64Encoded": true}
        """;

    [Fact]
    public void An_HTTP_API_event_becomes_the_request_ASP_NET_Core_sees()
    {
        var request = ApiGatewayRequest.Read(Encoding.UTF8.GetBytes(Event));
        using var response = new InvocationResponseFeature();

        var features = request.ToFeatures(response, CancellationToken.None);
        var http = features.Get<IHttpRequestFeature>()!;

        Assert.Equal("POST", http.Method);
        Assert.Equal("/prod", http.PathBase);
        Assert.Equal("/v2/models/m x/infer", http.Path);
        Assert.Equal("?a=1&b=2", http.QueryString);
        Assert.Equal("https", http.Scheme);
        Assert.Equal("application/json", http.Headers.ContentType.ToString());
        Assert.Equal("c1=v1; c2=v2", http.Headers.Cookie.ToString());
        Assert.Equal(7, http.Headers.ContentLength);
        using var reader = new StreamReader(http.Body);
        Assert.Equal("{\"a\":1}", reader.ReadToEnd());
        Assert.Equal("req-1", features.Get<IHttpRequestIdentifierFeature>()!.TraceIdentifier);
        Assert.Equal("203.0.113.7", features.Get<IHttpConnectionFeature>()!.RemoteIpAddress!.ToString());
    }

    [Theory]
    [InlineData("""{"Records": []}""")]
    [InlineData("""{"version": "1.0", "httpMethod": "GET", "path": "/"}""")]
    [InlineData("""not json""")]
    [InlineData("""{"version": "2.0", "requestContext": {"http": {"method": "GET"}}, "body": "%%%", "isBase64Encoded": true}""")]
    public void Anything_else_is_an_InvalidEvent(string json)
    {
        var error = Assert.Throws<LambdaFunctionException>(() => ApiGatewayRequest.Read(Encoding.UTF8.GetBytes(json)));

        Assert.Equal("InvalidEvent", error.ErrorType);
        Assert.Contains("API Gateway HTTP API event (payload format 2.0)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_response_is_written_in_API_Gateway_s_format_and_binary_bodies_go_base64()
    {
        using var text = new InvocationResponseFeature { StatusCode = 400 };
        text.Headers["Content-Type"] = "application/problem+json";
        text.Headers["Set-Cookie"] = "a=1";
        await text.Writer.WriteAsync("{\"x\":\"é\"}"u8.ToArray());
        await text.CompleteAsync();
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        ApiGatewayResponse.Write(output, text);
        Assert.Equal("""{"statusCode":400,"headers":{"Content-Type":"application/problem+json"},"cookies":["a=1"],"body":"{\"x\":\"é\"}","isBase64Encoded":false}""", Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.True(text.HasStarted);

        using var binary = new InvocationResponseFeature();
        await binary.Stream.WriteAsync(new byte[] { 0xFF, 0x00 });
        await binary.CompleteAsync();
        output.ResetWrittenCount();
        ApiGatewayResponse.Write(output, binary);
        Assert.Contains("\"body\":\"/wA=\",\"isBase64Encoded\":true", Encoding.UTF8.GetString(output.WrittenSpan), StringComparison.Ordinal);
    }
}
