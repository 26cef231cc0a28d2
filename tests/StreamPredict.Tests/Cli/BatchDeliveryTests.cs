using System.Globalization;
using System.Text;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Aws.Lambda.Client;
using StreamPredict.LocalLambda.EventSourceMapping;
using StreamPredict.LocalLambda.Runtime;

namespace StreamPredict.Tests.Cli;

public sealed class BatchDeliveryTests
{
    private readonly List<IReadOnlyList<string>> _invocations = [];
    private readonly DeliveryStats _stats = new();

    private static List<KinesisRecord> Records(int count) => [.. Enumerable.Range(1, count).Select(n =>
        new KinesisRecord(n.ToString("D3", CultureInfo.InvariantCulture), DateTimeOffset.UnixEpoch, [], "k"))];

    private static FunctionResult Response(string json) => new(FunctionResultKind.Response, Encoding.UTF8.GetBytes(json), null, null);

    private static FunctionResult ItemFailures(params string[] ids) =>
        Response("{\"batchItemFailures\":[" + string.Join(",", ids.Select(id => $"{{\"itemIdentifier\":\"{id}\"}}")) + "]}");

    private static readonly FunctionResult Error = new(FunctionResultKind.Error, null, new LambdaError("Boom", "poison", []), null);

    private BatchDelivery Delivery(Func<IReadOnlyList<KinesisRecord>, FunctionResult> function, bool bisect = false, int maxRetries = 3) =>
        new((records, _) =>
        {
            _invocations.Add([.. records.Select(record => record.SequenceNumber)]);
            return Task.FromResult(function(records));
        }, _stats, _ => { }, (_, _) => Task.CompletedTask)
        {
            Bisect = bisect,
            MaxRetries = maxRetries,
        };

    [Fact]
    public async Task An_empty_batch_item_failure_list_completes_the_batch()
    {
        var outcome = await Delivery(_ => Response("{\"batchItemFailures\":[]}")).DeliverAsync(Records(5), 0, default);

        Assert.Equal(5, outcome.Completed);
        Assert.Null(outcome.RetryFromSequenceNumber);
        Assert.Empty(outcome.Failed);
        Assert.Single(_invocations);
    }

    [Fact]
    public async Task Batch_item_failures_complete_everything_before_the_lowest_failed_record_and_retry_from_it()
    {
        var outcome = await Delivery(_ => ItemFailures("004", "002")).DeliverAsync(Records(5), 0, default);

        Assert.Equal(1, outcome.Completed);
        Assert.Equal("002", outcome.RetryFromSequenceNumber);
        Assert.Equal(1, outcome.RetryAttempts);
        Assert.Equal(2, _stats.ReportedItemFailures);
    }

    [Fact]
    public async Task A_failure_at_the_head_counts_the_attempts_already_made_there()
    {
        var outcome = await Delivery(_ => ItemFailures("001")).DeliverAsync(Records(3), priorAttempts: 2, default);

        Assert.Equal(0, outcome.Completed);
        Assert.Equal("001", outcome.RetryFromSequenceNumber);
        Assert.Equal(3, outcome.RetryAttempts);
    }

    [Fact]
    public async Task Records_still_failing_after_the_retries_go_to_the_failure_log_and_the_rest_completes()
    {
        var outcome = await Delivery(_ => ItemFailures("001", "003"), maxRetries: 3).DeliverAsync(Records(4), priorAttempts: 3, default);

        Assert.Equal(4, outcome.Completed);
        Assert.Null(outcome.RetryFromSequenceNumber);
        Assert.Equal(["001", "003"], outcome.Failed.Select(failure => failure.Record.SequenceNumber));
        Assert.All(outcome.Failed, failure => Assert.Equal(4, failure.Attempts));
    }

    [Theory]
    [InlineData("{\"batchItemFailures\":[{\"itemIdentifier\":\"999\"}]}")]
    [InlineData("{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}")]
    [InlineData("{\"batchItemFailures\":\"nope\"}")]
    [InlineData("not json")]
    public async Task An_unknown_item_identifier_or_unreadable_response_fails_the_whole_batch(string response)
    {
        var outcome = await Delivery(_ => Response(response), maxRetries: 2).DeliverAsync(Records(3), 0, default);

        Assert.Equal(3, _invocations.Count);
        Assert.Equal(3, outcome.Completed);
        Assert.Equal(3, outcome.Failed.Count);
    }

    [Fact]
    public async Task A_function_error_without_bisect_retries_the_same_batch_then_gives_it_up()
    {
        var outcome = await Delivery(_ => Error, maxRetries: 2).DeliverAsync(Records(4), 0, default);

        Assert.Equal(3, _invocations.Count);
        Assert.All(_invocations, batch => Assert.Equal(4, batch.Count));
        Assert.Equal(4, outcome.Completed);
        Assert.Equal(4, outcome.Failed.Count);
        Assert.Contains("poison", outcome.Failed[0].Reason, StringComparison.Ordinal);
        Assert.Equal(3, _stats.FunctionErrors);
    }

    [Fact]
    public async Task Bisect_isolates_the_one_record_that_makes_the_function_fail()
    {
        var delivery = Delivery(records => records.Any(record => record.SequenceNumber == "006") ? Error : Response("{}"), bisect: true, maxRetries: 2);

        var outcome = await delivery.DeliverAsync(Records(8), 0, default);

        Assert.Equal(8, outcome.Completed);
        Assert.Null(outcome.RetryFromSequenceNumber);
        var failed = Assert.Single(outcome.Failed);
        Assert.Equal("006", failed.Record.SequenceNumber);
        Assert.True(_stats.Bisections >= 3);
        // Every good record was delivered in a batch that succeeded.
        var succeeded = _invocations.Where(batch => !batch.Contains("006")).SelectMany(batch => batch).ToHashSet();
        Assert.Equal(["001", "002", "003", "004", "005", "007", "008"], succeeded.Order());
    }

    [Fact]
    public async Task Bisect_stops_at_a_partial_failure_in_the_first_half_so_order_is_kept()
    {
        var calls = 0;
        var delivery = Delivery(records => ++calls == 1 ? Error : ItemFailures(records[^1].SequenceNumber), bisect: true);

        var outcome = await delivery.DeliverAsync(Records(4), 0, default);

        Assert.Equal(1, outcome.Completed);
        Assert.Equal("002", outcome.RetryFromSequenceNumber);
        Assert.Equal(2, _invocations.Count);
    }

    [Fact]
    public async Task A_crash_counts_as_a_function_error()
    {
        var crash = new FunctionResult(FunctionResultKind.Crash, null, null, "exit 139");
        var outcome = await Delivery(_ => crash, maxRetries: 0).DeliverAsync(Records(1), 0, default);

        Assert.Contains("crash: exit 139", Assert.Single(outcome.Failed).Reason, StringComparison.Ordinal);
    }
}
