using System.Text;
using StreamPredict.Aws.Kinesis;
using StreamPredict.Cli.Demo;
using StreamPredict.LocalLambda.Emulators;
using StreamPredict.Cli.Tailing;

namespace StreamPredict.Tests.Cli;

public sealed class PipelineAccountingTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    private static ShardRecord Input(string sequence) => new("s", new KinesisRecord(sequence, Start, [], "k"));

    private static ShardRecord Output(string sourceSequence, int delayMs) => new("s", new KinesisRecord(
        "out", Start.AddMilliseconds(delayMs),
        Encoding.UTF8.GetBytes($$"""{"source_sequence_number":"{{sourceSequence}}","source_arrival_timestamp":{{Start.ToUnixTimeMilliseconds() / 1000.0}}}"""), "k"));

    private static object? Value(StreamPredict.Cli.Infrastructure.Summary summary, string name) => summary.Items.Single(item => item.Key == name).Value;

    [Fact]
    public void Every_input_is_matched_to_a_prediction_a_dead_letter_or_a_failure_and_the_rest_is_lost()
    {
        var accounting = new PipelineAccounting();
        foreach (var sequence in new[] { "1", "2", "3", "4", "5" })
        {
            accounting.AddInput(Input(sequence));
        }

        accounting.AddPrediction(Output("1", 100));
        accounting.AddPrediction(Output("1", 300));
        accounting.AddPrediction(Output("2", 200));
        accounting.AddDeadLetter(Output("3", 50));
        accounting.AddFailure("4");

        var report = accounting.Report();

        Assert.Equal(5L, Value(report, "records_in"));
        Assert.Equal(2L, Value(report, "predictions_out"));
        Assert.Equal(1L, Value(report, "dead_letters"));
        Assert.Equal(1L, Value(report, "failed_records"));
        Assert.Equal(1L, Value(report, "lost"));
        Assert.Equal(1L, Value(report, "duplicates"));
        Assert.Equal(100.0, (double)Value(report, "latency_p50_ms")!, 3);
        Assert.Equal(200.0, (double)Value(report, "latency_p99_ms")!, 3);
    }
}
