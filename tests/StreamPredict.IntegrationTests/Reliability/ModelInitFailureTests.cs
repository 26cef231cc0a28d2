using System.Text;
using StreamPredict.IntegrationTests.Functions;
using StreamPredict.IntegrationTests.Infrastructure;
using StreamPredict.Model.Artifact;
using Xunit.Abstractions;

namespace StreamPredict.IntegrationTests.Reliability;

/// <summary>
/// A bad model in S3 stops the real process at init: /init/error with a message naming the problem and the object,
/// a non-zero exit, and no request for an event (so no prediction from a bad model). The missing-model case is
/// FunctionProcessTests.A_missing_model_posts_an_init_error_naming_the_bucket_and_key_and_exits.
/// </summary>
[Collection(Emulators.Collection)]
public sealed class ModelInitFailureTests(EmulatorFixture emulators, ITestOutputHelper output)
{
    private const string RunId = "bad-model-run";
    private const string Key = "1/" + RunId + "/artifacts/model/model.json";

    private async Task<string> InitErrorForAsync(byte[] artifact)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var s3 = emulators.CreateObjectStore();
        var bucket = EmulatorFixture.UniqueName("badmodel");
        await s3.EnsureBucketAsync(bucket, cancel.Token);
        await s3.PutAsync(bucket, Key, artifact, cancel.Token, "application/json");
        await using var function = FunctionProcess.Start(emulators, new Dictionary<string, string>
        {
            ["MODEL_BUCKET"] = bucket,
            ["RUN_ID"] = RunId,
            ["PREDICTIONS_STREAM_NAME"] = "never-written",
        });

        var error = await function.Runtime.InitError.WaitAsync(TimeSpan.FromSeconds(60), cancel.Token);

        Assert.NotEqual(0, await function.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(function.Runtime.InitDone.IsCompleted, "the function asked for an event after a failed init");
        Assert.Contains($"s3://{bucket}/{Key}", error.ErrorMessage, StringComparison.Ordinal);
        output.WriteLine($"{error.ErrorType}: {error.ErrorMessage}");
        return error.ErrorMessage;
    }

    private string CourseForest => File.ReadAllText(Path.Combine(emulators.RepositoryRoot, "tests", "StreamPredict.Tests", "TestData", "course-forest.model.json"));

    [Fact]
    public async Task A_corrupt_model_fails_init_with_the_checksum_mismatch()
    {
        var text = CourseForest;
        // Flip one digit inside the "model" member: still valid JSON, but not what the checksum covers.
        var at = text.IndexOfAny("123456789".ToCharArray(), text.IndexOf("\"model\"", StringComparison.Ordinal));
        var corrupt = text[..at] + (text[at] == '9' ? '8' : (char)(text[at] + 1)) + text[(at + 1)..];

        var message = await InitErrorForAsync(Encoding.UTF8.GetBytes(corrupt));

        Assert.Contains("checksum mismatch", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_with_an_unknown_schema_fails_init_naming_the_schema()
    {
        var unknown = CourseForest.Replace(ModelDocument.Schema, "streampredict.model/v999", StringComparison.Ordinal);

        var message = await InitErrorForAsync(Encoding.UTF8.GetBytes(unknown));

        Assert.Contains("unsupported schema \"streampredict.model/v999\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_that_is_not_JSON_fails_init()
    {
        var message = await InitErrorForAsync(Encoding.UTF8.GetBytes("<html>AccessDenied</html>"));

        Assert.Contains("was refused", message, StringComparison.Ordinal);
    }
}
