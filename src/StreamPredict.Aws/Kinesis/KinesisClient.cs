using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using StreamPredict.Aws.Buffers;
using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.Connections;
using StreamPredict.Aws.Diagnostics;
using StreamPredict.Aws.Signing;

namespace StreamPredict.Aws.Kinesis;

/// <summary>A small Kinesis client over the JSON 1.1 protocol, signed with SigV4.</summary>
/// <remarks>
/// Thread-safe; create one per process and share it (it owns one pooled HttpClient). Throttling, 5xx and connection
/// failures are retried per <see cref="KinesisRetryPolicy"/>; everything else surfaces at once as a
/// <see cref="KinesisException"/> subclass. PutRecords' per-record failures are returned, not retried.
/// </remarks>
public sealed class KinesisClient : IKinesisWriter, IDisposable
{
    private const string Service = "kinesis";
    private const string TargetPrefix = "Kinesis_20131202.";
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/x-amz-json-1.1");

    private readonly AwsEnvironment _environment;
    private readonly HttpClient _http;
    private readonly KinesisRetryPolicy _retryPolicy;
    private readonly TimeProvider _time;
    private readonly string _host;
    private readonly EarlyConnection? _early;

    public KinesisClient(AwsEnvironment environment)
        : this(environment, KinesisRetryPolicy.Default)
    {
    }

    public KinesisClient(AwsEnvironment environment, KinesisRetryPolicy retryPolicy)
        : this(environment, CreateHandler(), retryPolicy, TimeProvider.System)
    {
    }

    /// <summary>For tests: a fake handler, a zero-delay policy, a fixed clock.</summary>
    internal KinesisClient(AwsEnvironment environment, HttpMessageHandler handler, KinesisRetryPolicy retryPolicy, TimeProvider time, EarlyConnection? early = null)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(environment);
            ArgumentNullException.ThrowIfNull(retryPolicy);
            retryPolicy.Validate();
        }
        catch
        {
            handler.Dispose();
            throw;
        }

        _environment = environment;
        _retryPolicy = retryPolicy;
        _time = time;
        _host = SigV4Signer.HostHeader(environment.KinesisEndpoint);
        _early = early;
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Endpoint => _environment.KinesisEndpoint;

    /// <summary>One PutRecords call (1-500 entries). Entry i of the result answers entry i of the request.</summary>
    public async Task<PutRecordsResult> PutRecordsAsync(string streamName, IReadOnlyList<PutRecordsEntry> entries, CancellationToken cancellationToken)
    {
        RequireStreamName(streamName);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count is 0 or > PutRecordsLimits.MaxEntriesPerCall)
        {
            throw new ArgumentException(
                $"PutRecords takes 1 to {PutRecordsLimits.MaxEntriesPerCall} entries; got {entries.Count} for stream '{streamName}'.",
                nameof(entries));
        }

        var dataBytes = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var key = entries[i].PartitionKey;
            if (string.IsNullOrEmpty(key) || key.Length > PutRecordsLimits.MaxPartitionKeyLength)
            {
                throw new ArgumentException(
                    $"Entry {i} for stream '{streamName}' has a partition key of length {key?.Length ?? 0}; it must be 1 to {PutRecordsLimits.MaxPartitionKeyLength} characters.",
                    nameof(entries));
            }

            dataBytes += entries[i].Data.Length;
        }

        // Base64 grows data by 4/3; the rest is keys and punctuation.
        using var body = new PooledBufferWriter(dataBytes / 3 * 4 + entries.Count * 300 + 256);
        KinesisRequests.PutRecords(body, streamName, entries);
        var result = await InvokeAsync("PutRecords", body, PutRecordsResponse.Read, cancellationToken).ConfigureAwait(false);
        if (result.Records.Count != entries.Count)
        {
            throw new KinesisException("InvalidResponse", 200,
                $"Kinesis PutRecords answered {result.Records.Count} results for {entries.Count} entries on stream '{streamName}'.");
        }

        return result;
    }

    public async Task CreateStreamAsync(string streamName, int shardCount, CancellationToken cancellationToken)
    {
        RequireStreamName(streamName);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        using var body = new PooledBufferWriter(256);
        KinesisRequests.CreateStream(body, streamName, shardCount);
        await InvokeAsync("CreateStream", body, NoContent, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StreamSummary> DescribeStreamSummaryAsync(string streamName, CancellationToken cancellationToken)
    {
        RequireStreamName(streamName);
        using var body = new PooledBufferWriter(256);
        KinesisRequests.StreamNameOnly(body, streamName);
        var response = await InvokeAsync("DescribeStreamSummary", body, Json(KinesisJsonContext.Default.DescribeStreamSummaryResponse), cancellationToken).ConfigureAwait(false);
        return response.StreamDescriptionSummary;
    }

    /// <summary>Polls DescribeStreamSummary until the stream is ACTIVE (new streams start CREATING).</summary>
    /// <exception cref="TimeoutException">The stream was not ACTIVE within <paramref name="timeout"/>.</exception>
    public async Task<StreamSummary> WaitForStreamActiveAsync(string streamName, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = _time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            var summary = await DescribeStreamSummaryAsync(streamName, cancellationToken).ConfigureAwait(false);
            if (summary.IsActive)
            {
                return summary;
            }

            if (_time.GetTimestamp() > deadline)
            {
                throw new TimeoutException(
                    $"Kinesis stream '{streamName}' is still {summary.StreamStatus} after {timeout.TotalSeconds:0.#} s; expected ACTIVE.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>All shards of the stream, following NextToken across pages of <paramref name="pageSize"/> (service default when null).</summary>
    public async Task<IReadOnlyList<Shard>> ListShardsAsync(string streamName, CancellationToken cancellationToken, int? pageSize = null)
    {
        RequireStreamName(streamName);
        var shards = new List<Shard>();
        string? nextToken = null;
        do
        {
            using var body = new PooledBufferWriter(512);
            KinesisRequests.ListShards(body, streamName, nextToken, pageSize);
            var page = await InvokeAsync("ListShards", body, Json(KinesisJsonContext.Default.ListShardsResponse), cancellationToken).ConfigureAwait(false);
            if (page.Shards is not null)
            {
                shards.AddRange(page.Shards);
            }

            nextToken = page.NextToken;
        }
        while (nextToken is not null);

        return shards;
    }

    /// <param name="startingSequenceNumber">Required for AtSequenceNumber and AfterSequenceNumber.</param>
    /// <param name="timestamp">Required for AtTimestamp.</param>
    public async Task<string> GetShardIteratorAsync(
        string streamName, string shardId, ShardIteratorType type, CancellationToken cancellationToken,
        string? startingSequenceNumber = null, DateTimeOffset? timestamp = null)
    {
        RequireStreamName(streamName);
        ArgumentException.ThrowIfNullOrEmpty(shardId);
        if (type is ShardIteratorType.AtSequenceNumber or ShardIteratorType.AfterSequenceNumber && string.IsNullOrEmpty(startingSequenceNumber))
        {
            throw new ArgumentException($"Shard iterator type {KinesisRequests.WireName(type)} needs a starting sequence number.", nameof(startingSequenceNumber));
        }

        if (type is ShardIteratorType.AtTimestamp && timestamp is null)
        {
            throw new ArgumentException("Shard iterator type AT_TIMESTAMP needs a timestamp.", nameof(timestamp));
        }

        using var body = new PooledBufferWriter(512);
        KinesisRequests.GetShardIterator(body, streamName, shardId, type, startingSequenceNumber, timestamp);
        var response = await InvokeAsync("GetShardIterator", body, Json(KinesisJsonContext.Default.GetShardIteratorResponse), cancellationToken).ConfigureAwait(false);
        return response.ShardIterator;
    }

    /// <param name="limit">At most this many records (1-10,000); service default when null.</param>
    public async Task<GetRecordsResult> GetRecordsAsync(string shardIterator, CancellationToken cancellationToken, int? limit = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(shardIterator);
        using var body = new PooledBufferWriter(512);
        KinesisRequests.GetRecords(body, shardIterator, limit);
        return await InvokeAsync("GetRecords", body, Json(KinesisJsonContext.Default.GetRecordsResult), cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteStreamAsync(string streamName, CancellationToken cancellationToken)
    {
        RequireStreamName(streamName);
        using var body = new PooledBufferWriter(256);
        KinesisRequests.DeleteStream(body, streamName);
        await InvokeAsync("DeleteStream", body, NoContent, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A client that starts connecting to the Kinesis endpoint now (see <see cref="EarlyConnection"/>): the function's
    /// init, so the first PutRecords finds the connection open, and sends nothing until it has records.
    /// </summary>
    public static KinesisClient ConnectingEarly(AwsEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var early = new EarlyConnection(environment.KinesisEndpoint);
        return new KinesisClient(environment, early.Attach(CreateHandler()), KinesisRetryPolicy.Default, TimeProvider.System, early);
    }

    public void Dispose()
    {
        _http.Dispose();
        _early?.Dispose();
    }

    private static SocketsHttpHandler CreateHandler() => new()
    {
        // Recycle connections so DNS changes (endpoint failover) are picked up.
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        UseCookies = false,
    };

    private static void RequireStreamName(string streamName)
    {
        if (string.IsNullOrWhiteSpace(streamName))
        {
            throw new ArgumentException("A Kinesis stream name is required.", nameof(streamName));
        }
    }

    /// <summary>Reads a successful answer's body; throws <see cref="JsonException"/> when it is malformed.</summary>
    private delegate T ResponseReader<out T>(ReadOnlySpan<byte> json);

    private static bool NoContent(ReadOnlySpan<byte> json) => true;

    private static ResponseReader<T> Json<T>(JsonTypeInfo<T> typeInfo) => json => JsonSerializer.Deserialize(json, typeInfo)!;

    /// <summary>Sends one operation with retries and reads the answer with <paramref name="read"/>.</summary>
    private async Task<T> InvokeAsync<T>(string operation, PooledBufferWriter body, ResponseReader<T> read, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var request = await CreateRequestAsync(operation, body.WrittenMemory).ConfigureAwait(false);
                StartupTrace.Mark("kinesis request signed");
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                StartupTrace.Mark("kinesis answered");
                using var responseBody = new PooledBufferWriter((int)Math.Min(response.Content.Headers.ContentLength ?? 4096, 64 * 1024 * 1024));
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    await responseBody.ReadFromAsync(stream, cancellationToken).ConfigureAwait(false);
                }

                if (response.IsSuccessStatusCode)
                {
                    return Parse(operation, responseBody.WrittenSpan, read);
                }

                var errorType = response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.FirstOrDefault() : null;
                var error = KinesisErrors.FromResponse(operation, (int)response.StatusCode, errorType, responseBody.WrittenSpan);
                if (!KinesisErrors.IsRetryable(error) || attempt >= _retryPolicy.MaxAttempts)
                {
                    throw error;
                }
            }
            catch (Exception e) when (IsTransportFailure(e, cancellationToken))
            {
                if (attempt >= _retryPolicy.MaxAttempts)
                {
                    throw new KinesisException("RequestFailed", 0,
                        $"Kinesis {operation} to {_environment.KinesisEndpoint} failed after {attempt} attempt(s): {e.Message}", e);
                }
            }

            var delay = _retryPolicy.DelayBeforeRetry(attempt);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static T Parse<T>(string operation, ReadOnlySpan<byte> json, ResponseReader<T> read)
    {
        try
        {
            return read(json) ?? throw new KinesisException("InvalidResponse", 200, $"Kinesis {operation} answered an empty body.");
        }
        catch (JsonException e)
        {
            throw new KinesisException("InvalidResponse", 200, $"Kinesis {operation} answered JSON that does not parse: {e.Message}", e);
        }
    }

    // Connection refused/reset and timeouts are worth another try; the caller's own cancellation is not.
    private static bool IsTransportFailure(Exception e, CancellationToken cancellationToken) => e switch
    {
        HttpRequestException or IOException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private async Task<HttpRequestMessage> CreateRequestAsync(string operation, ReadOnlyMemory<byte> body)
    {
        var credentials = await _environment.Credentials.GetCredentialsAsync().ConfigureAwait(false);
        var target = TargetPrefix + operation;
        var headers = SigV4Signer.NewHeaders();
        headers["host"] = _host;
        headers["content-type"] = JsonContentType.MediaType!;
        headers["x-amz-target"] = target;
        var authorization = SigV4Signer.Sign(
            "POST", _environment.KinesisEndpoint, "", headers, body.Span, credentials,
            _environment.Region, Service, _time.GetUtcNow().UtcDateTime);

        var request = new HttpRequestMessage(HttpMethod.Post, _environment.KinesisEndpoint)
        {
            Content = new ReadOnlyMemoryContent(body),
        };
        request.Content.Headers.ContentType = JsonContentType;
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", headers[SigV4Signer.DateHeader]);
        if (headers.TryGetValue(SigV4Signer.SecurityTokenHeader, out var token))
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", token);
        }

        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return request;
    }
}
