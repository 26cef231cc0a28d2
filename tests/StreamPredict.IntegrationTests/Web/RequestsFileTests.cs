using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace StreamPredict.IntegrationTests.Web;

/// <summary>
/// src/StreamPredict.Web/requests.http, request by request, against the started service: each answers its expected
/// status (200 unless "# expect: N"), and each appears as a curl line in the project's README; and the other way
/// round, every curl line of the web README and the root README is a request of the file.
/// </summary>
public sealed partial class RequestsFileTests(ITestOutputHelper output)
{
    private sealed record HttpFileRequest(string Title, string Method, string Path, string? ContentType, string? Body, int Expected);

    [Fact]
    public async Task Every_example_request_gets_its_expected_answer_and_is_in_the_README()
    {
        var requests = Parse(await File.ReadAllTextAsync(RepositoryPaths.File("src", "StreamPredict.Web", "requests.http")));
        var readme = await File.ReadAllTextAsync(RepositoryPaths.File("src", "StreamPredict.Web", "README.md"));
        Assert.True(requests.Count >= 20, $"only {requests.Count} requests parsed");
        await using var web = await WebService.StartWithModelFileAsync(WebModels.CourseForestPath);

        foreach (var request in requests)
        {
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(request.Path, UriKind.Relative));
            if (request.Body is not null)
            {
                message.Content = new StringContent(request.Body, Encoding.UTF8);
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType!);
            }

            using var response = await web.Http.SendAsync(message);
            var text = await response.Content.ReadAsStringAsync();
            output.WriteLine($"{request.Title}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 160)]}");
            Assert.True(request.Expected == (int)response.StatusCode, $"{request.Title}: {(int)response.StatusCode} {text}");

            var curlPath = $"127.0.0.1:9696{request.Path}";
            Assert.True(readme.Contains(curlPath, StringComparison.Ordinal), $"README.md has no curl for {request.Path}");
            if (request.Body is not null && request.ContentType == "application/json")
            {
                Assert.True(readme.Contains($"-d '{request.Body}'", StringComparison.Ordinal), $"README.md has no curl sending {request.Body}");
            }
        }
    }

    [Theory]
    [InlineData("src/StreamPredict.Web/README.md", 20)]
    [InlineData("README.md", 1)]
    public async Task Every_curl_line_of_a_README_is_a_request_of_the_file(string readmePath, int atLeast)
    {
        var requests = Parse(await File.ReadAllTextAsync(RepositoryPaths.File("src", "StreamPredict.Web", "requests.http")));
        var readme = await File.ReadAllTextAsync(RepositoryPaths.File(readmePath.Split('/')));

        var curls = CurlLine().Matches(readme);
        Assert.True(curls.Count >= atLeast, $"{readmePath}: only {curls.Count} curl lines to 127.0.0.1:9696");
        foreach (Match curl in curls)
        {
            var method = curl.Groups["method"].Success ? curl.Groups["method"].Value : "GET";
            var path = curl.Groups["path"].Value;
            var body = curl.Groups["body"].Success ? curl.Groups["body"].Value : null;
            var matching = requests.Where(r => r.Method == method && r.Path == path).ToList();
            Assert.True(matching.Count > 0, $"{readmePath}: requests.http has no {method} {path} (curl: {curl.Value})");
            if (body is not null)
            {
                Assert.True(matching.Any(r => r.Body == body), $"{readmePath}: requests.http has no {method} {path} sending {body}");
            }
        }
    }

    // curl [-s] [-X METHOD] 127.0.0.1:9696/PATH [-H …] [-d 'JSON']; CSV bodies ($'…') are compared by path only.
    [GeneratedRegex(@"curl -s (?:-X (?<method>[A-Z]+) )?127\.0\.0\.1:9696(?<path>/\S*)(?:[^\n]*?-d '(?<body>[^'\n]*)')?")]
    private static partial Regex CurlLine();

    private static List<HttpFileRequest> Parse(string text)
    {
        var requests = new List<HttpFileRequest>();
        foreach (var block in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n###").Skip(1))
        {
            var lines = block.Split('\n');
            var title = lines[0].Trim();
            var expected = lines.Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("# expect:", StringComparison.Ordinal)) is { } expect ? int.Parse(expect[9..], System.Globalization.CultureInfo.InvariantCulture) : 200;
            var rest = lines.Skip(1).SkipWhile(l => l.StartsWith('#') || l.Length == 0).ToList();
            var requestLine = rest[0].Split(' ');
            var headers = rest.Skip(1).TakeWhile(l => l.Length > 0).ToList();
            var body = string.Join('\n', rest.Skip(2 + headers.Count)).Trim();
            var contentType = headers.FirstOrDefault(h => h.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))?[13..].Trim();
            requests.Add(new HttpFileRequest(title, requestLine[0], requestLine[1].Replace("{{host}}", "", StringComparison.Ordinal), contentType,
                body.Length == 0 ? null : body + (contentType == "text/csv" ? "\n" : ""), expected));
        }

        return requests;
    }
}
