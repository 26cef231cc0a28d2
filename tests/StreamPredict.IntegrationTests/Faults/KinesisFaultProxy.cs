using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamPredict.Aws.Signing;

namespace StreamPredict.IntegrationTests.Faults;

/// <summary>
/// A loopback HTTP proxy in front of a Kinesis endpoint that injects the faults of a <see cref="FaultPlan"/>
/// (point a client's AWS_ENDPOINT_URL_KINESIS at <see cref="Endpoint"/>). Test infrastructure only: fault
/// injection has no place in the shipped CLI.
/// </summary>
/// <remarks>
/// <para>Throttling is injected the way Kinesis does it: the failed entries are NOT forwarded, and the answer puts
/// ProvisionedThroughputExceededException in their slots. Forwarding everything and then marking a share failed
/// would write those entries and have the client write them again: a duplicate on every throttle, which Kinesis
/// never does. (<see cref="FaultPlan.LostResponseShare"/> models the case that really does duplicate.)</para>
/// <para>SigV4: a call passed through unchanged keeps its Host header and bytes, so its signature stays valid. A
/// rewritten PutRecords body is re-signed for the upstream endpoint with <see cref="Credentials"/> (the signature
/// covers the body's hash). kinesis-mock verifies no signature at all (a call signed "Signature=0" succeeds: see
/// FaultProxyTests), so the emulator alone cannot catch a bad signature; re-signing keeps the proxy usable against
/// endpoints that do check.</para>
/// </remarks>
internal sealed class KinesisFaultProxy : IAsyncDisposable
{
    private const string TargetPrefix = "Kinesis_20131202.";
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly HashSet<string> UnforwardedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Connection", "Transfer-Encoding", "Expect", "Keep-Alive",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly Uri _upstreamEndpoint;
    private readonly Lock _randomLock = new();
    private Random _random;
    private FaultPlan _plan;
    private int _inFlight;
    private volatile bool _blackout;

    private KinesisFaultProxy(WebApplication app, Uri upstream, FaultPlan plan, ImmutableCredentials credentials, string region)
    {
        _app = app;
        _upstreamEndpoint = upstream;
        _plan = plan;
        _random = new Random(plan.Seed);
        Credentials = credentials;
        Region = region;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Endpoint = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    /// <summary>Where clients connect (AWS_ENDPOINT_URL_KINESIS).</summary>
    public Uri Endpoint { get; }

    public ImmutableCredentials Credentials { get; }

    public string Region { get; }

    public FaultCounters Counters { get; } = new();

    /// <summary>The last Authorization and X-Amz-Security-Token headers seen: proof of which credentials a client used.</summary>
    public (string? Authorization, string? SecurityToken) LastCredentials { get; private set; }

    /// <summary>The plan in force; replacing it re-seeds the random source.</summary>
    public FaultPlan Plan
    {
        get => _plan;
        set
        {
            lock (_randomLock)
            {
                _plan = value;
                _random = new Random(value.Seed);
            }
        }
    }

    public static KinesisFaultProxy Start(Uri upstream, FaultPlan plan, ImmutableCredentials credentials, string region)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        KinesisFaultProxy? proxy = null;
        app.Run(context => proxy!.ServeAsync(context));
        app.StartAsync().GetAwaiter().GetResult();
        proxy = new KinesisFaultProxy(app, upstream, plan, credentials, region);
        return proxy;
    }

    /// <summary>
    /// Kinesis unreachable: every new connection is closed unanswered (as while an emulator restarts) and the calls in
    /// flight are waited for, so the upstream sees no call while it is down.
    /// </summary>
    public async Task BeginOutageAsync(TimeSpan timeout)
    {
        _blackout = true;
        var deadline = DateTime.UtcNow + timeout;
        while (Volatile.Read(ref _inFlight) > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{_inFlight} call(s) still in flight through the proxy after {timeout}.");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    public void EndOutage() => _blackout = false;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _upstream.Dispose();
    }

    private double Draw()
    {
        lock (_randomLock)
        {
            return _random.NextDouble();
        }
    }

    private async Task ServeAsync(HttpContext context)
    {
        FaultCounters.Max(ref Counters.MaxInFlight, Interlocked.Increment(ref _inFlight));
        try
        {
            FaultCounters.Add(ref Counters.Calls);
            if (_blackout)
            {
                FaultCounters.Add(ref Counters.OutageRefusals);
                context.Abort();
                return;
            }

            LastCredentials = (context.Request.Headers.Authorization.ToString(), context.Request.Headers["X-Amz-Security-Token"].ToString());
            var body = await ReadBodyAsync(context.Request).ConfigureAwait(false);
            var target = context.Request.Headers["X-Amz-Target"].ToString();
            var operation = target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..] : target;
            var plan = Plan;
            if (!plan.Operations.Contains(operation))
            {
                await ForwardAsync(context, body, rewritten: false).ConfigureAwait(false);
                return;
            }

            if (plan.Latency > TimeSpan.Zero)
            {
                await Task.Delay(plan.Latency).ConfigureAwait(false);
            }

            if (Draw() < plan.DroppedConnectionShare)
            {
                // The whole request has arrived and nothing is forwarded: the client sees its connection reset mid-call.
                FaultCounters.Add(ref Counters.DroppedConnections);
                context.Abort();
                return;
            }

            if (Draw() < plan.ServerErrorShare)
            {
                FaultCounters.Add(ref Counters.ServerErrors);
                await RespondAsync(context.Response, 500, """{"__type":"InternalFailure","message":"injected by KinesisFaultProxy"}"""u8.ToArray()).ConfigureAwait(false);
                return;
            }

            var loseResponse = Draw() < plan.LostResponseShare;
            if (operation == "PutRecords" && plan.ThrottledEntryShare > 0)
            {
                await PutRecordsWithThrottlingAsync(context, body, plan, loseResponse).ConfigureAwait(false);
            }
            else
            {
                await ForwardAsync(context, body, rewritten: false, loseResponse).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or HttpRequestException or OperationCanceledException)
        {
            // The client (or the upstream) went away mid-call: the client sees a failure and retries.
            FaultCounters.Add(ref Counters.UpstreamFailures);
            context.Abort();
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Forwards only the surviving entries; the throttled ones get ProvisionedThroughputExceededException in their slots.</summary>
    private async Task PutRecordsWithThrottlingAsync(HttpContext context, byte[] body, FaultPlan plan, bool loseResponse)
    {
        var request = JsonNode.Parse(body)!.AsObject();
        var entries = request["Records"]!.AsArray();
        var throttled = new bool[entries.Count];
        var survivors = new JsonArray();
        for (var i = 0; i < entries.Count; i++)
        {
            throttled[i] = Draw() < plan.ThrottledEntryShare;
            if (!throttled[i])
            {
                survivors.Add(entries[i]!.DeepClone());
            }
        }

        var throttledCount = throttled.Count(t => t);
        FaultCounters.Add(ref Counters.EntriesSeen, entries.Count);
        FaultCounters.Add(ref Counters.EntriesThrottled, throttledCount);
        JsonArray forwardedResults = [];
        var upstreamFailed = 0;
        string? encryption = null;
        if (survivors.Count > 0)
        {
            request["Records"] = survivors;
            using var answer = await SendUpstreamAsync(context.Request, Encoding.UTF8.GetBytes(request.ToJsonString(Relaxed)), rewritten: true).ConfigureAwait(false);
            var answerBody = await answer.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            if (!answer.IsSuccessStatusCode)
            {
                // The upstream refused the whole call: pass its answer on; the client retries the whole chunk.
                await RespondAsync(context.Response, (int)answer.StatusCode, answerBody).ConfigureAwait(false);
                return;
            }

            var result = JsonNode.Parse(answerBody)!.AsObject();
            forwardedResults = result["Records"]!.AsArray();
            upstreamFailed = result["FailedRecordCount"]?.GetValue<int>() ?? 0;
            encryption = result["EncryptionType"]?.GetValue<string>();
        }

        if (loseResponse)
        {
            FaultCounters.Add(ref Counters.LostResponses);
            context.Abort();
            return;
        }

        var merged = new JsonArray();
        var next = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            merged.Add(throttled[i]
                ? new JsonObject
                {
                    ["ErrorCode"] = "ProvisionedThroughputExceededException",
                    ["ErrorMessage"] = "Rate exceeded for shard shardId-000000000000 in stream (injected by KinesisFaultProxy).",
                }
                : forwardedResults[next++]!.DeepClone());
        }

        var response = new JsonObject { ["FailedRecordCount"] = throttledCount + upstreamFailed, ["Records"] = merged };
        if (encryption is not null)
        {
            response["EncryptionType"] = encryption;
        }

        await RespondAsync(context.Response, 200, Encoding.UTF8.GetBytes(response.ToJsonString(Relaxed))).ConfigureAwait(false);
    }

    private async Task ForwardAsync(HttpContext context, byte[] body, bool rewritten, bool loseResponse = false)
    {
        using var answer = await SendUpstreamAsync(context.Request, body, rewritten).ConfigureAwait(false);
        var answerBody = await answer.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        if (loseResponse)
        {
            FaultCounters.Add(ref Counters.LostResponses);
            context.Abort();
            return;
        }

        await RespondAsync(context.Response, (int)answer.StatusCode, answerBody).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendUpstreamAsync(HttpRequest incoming, byte[] body, bool rewritten)
    {
        FaultCounters.Add(ref Counters.Forwarded);
        var request = new HttpRequestMessage(new HttpMethod(incoming.Method), new Uri(_upstreamEndpoint, incoming.Path + incoming.QueryString))
        {
            Content = new ByteArrayContent(body),
        };
        foreach (var (name, values) in incoming.Headers)
        {
            if (!UnforwardedHeaders.Contains(name) && !name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, values.ToString());
            }
        }

        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(incoming.ContentType ?? "application/x-amz-json-1.1");
        if (rewritten)
        {
            Resign(request, incoming.Headers["X-Amz-Target"].ToString(), body);
        }
        else
        {
            // Unchanged bytes and the Host the client signed: the original signature still holds.
            request.Headers.Host = incoming.Headers.Host.ToString();
        }

        return await _upstream.SendAsync(request).ConfigureAwait(false);
    }

    private void Resign(HttpRequestMessage request, string target, byte[] body)
    {
        var headers = SigV4Signer.NewHeaders();
        headers["content-type"] = request.Content!.Headers.ContentType!.ToString();
        headers["host"] = SigV4Signer.HostHeader(_upstreamEndpoint);
        headers["x-amz-target"] = target;
        var authorization = SigV4Signer.Sign("POST", request.RequestUri!, "", headers, body, Credentials, Region, "kinesis", DateTime.UtcNow);
        foreach (var name in new[] { "Authorization", "X-Amz-Date", "X-Amz-Security-Token" })
        {
            request.Headers.Remove(name);
        }

        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", headers[SigV4Signer.DateHeader]);
        if (headers.TryGetValue(SigV4Signer.SecurityTokenHeader, out var token))
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", token);
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static async Task RespondAsync(HttpResponse response, int status, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = "application/x-amz-json-1.1";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body).ConfigureAwait(false);
    }
}
