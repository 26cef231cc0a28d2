using StreamPredict.Cli.Infrastructure;

namespace StreamPredict.Tests.Cli;

public sealed class SummaryLineTests
{
    [Fact]
    public void A_line_is_one_sentence_in_text_and_its_fields_in_json()
    {
        var summary = new Summary()
            .Add("lost", 0L)
            .Add("batch", new SummaryLine("12 rows in = 10 scored + 1 filtered + 1 rejected",
                new Summary().Add("rows_in", 12L).Add("scored", 10L).Add("conserved", true)));
        using var text = new StringWriter();

        summary.WriteText(text);

        Assert.Equal($"lost: 0{Environment.NewLine}batch: 12 rows in = 10 scored + 1 filtered + 1 rejected{Environment.NewLine}", text.ToString());
        Assert.Equal("""{"lost":0,"batch":{"rows_in":12,"scored":10,"conserved":true}}""", summary.ToJson());
    }
}
