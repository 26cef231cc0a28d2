using System.Buffers;
using System.Text;
using System.Text.Json;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Function;
using StreamPredict.Function.Observability;
using StreamPredict.Function.Publishing;
using StreamPredict.Model;

namespace StreamPredict.Tests.Functions;

/// <summary>A RideBatchHandler wired to in-memory fakes: a fake writer, a manual clock, and backoff waits that only move that clock.</summary>
internal sealed class HandlerHarness : IDisposable
{
    public const string Predictions = "ride_predictions";
    public const string Rejections = "ride_rejections";

    private readonly MemoryStream _logs = new();
    private readonly JsonLog _log;

    public HandlerHarness(bool testRun = false, string? rejections = Rejections, PublishPolicy? policy = null, CompiledModel? model = null,
        string? modelVersion = null)
    {
        _log = new JsonLog(_logs, Clock);
        Handler = new RideBatchHandler(model ?? TestModels.Linear(), Writer,
            new RideBatchHandlerOptions { PredictionsStream = Predictions, RejectionsStream = rejections, TestRun = testRun, Policy = policy ?? new PublishPolicy(), ModelVersion = modelVersion },
            _log, Clock, (wait, _) => { Waits.Add(wait); Clock.Advance(wait); return Task.CompletedTask; });
    }

    /// <summary>The function's retry schedule with <paramref name="maxAttempts"/>, and seeded jitter.</summary>
    public static PublishPolicy Policy(int maxAttempts, TimeSpan? backoffBase = null, TimeSpan? backoffCap = null) => new()
    {
        Retry = new KinesisRetryPolicy
        {
            MaxAttempts = maxAttempts,
            BaseDelay = backoffBase ?? PublishPolicy.DefaultRetry.BaseDelay,
            MaxDelay = backoffCap ?? PublishPolicy.DefaultRetry.MaxDelay,
            NextJitter = new Random(7).NextDouble,
        },
    };

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));

    public FakeKinesisWriter Writer { get; } = new();

    public RideBatchHandler Handler { get; }

    public List<TimeSpan> Waits { get; } = [];

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    public async Task<JsonElement> InvokeAsync(byte[] payload)
    {
        var response = new ArrayBufferWriter<byte>();
        await Handler.HandleAsync(payload, new TestContext(Clock, Clock.Now + Timeout), response, CancellationToken.None);
        return JsonDocument.Parse(response.WrittenMemory).RootElement.Clone();
    }

    public List<JsonElement> LogLines()
        => Encoding.UTF8.GetString(_logs.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();

    public List<JsonElement> LogLines(string level)
        => LogLines().Where(l => l.TryGetProperty("level", out var value) && value.GetString() == level).ToList();

    public JsonElement Metrics() => LogLines().Last(line => line.TryGetProperty("_aws", out _));

    public static List<string> FailureIds(JsonElement response)
        => response.GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString()!).ToList();

    public void Dispose()
    {
        Handler.Dispose();
        _log.Dispose();
        _logs.Dispose();
    }
}
