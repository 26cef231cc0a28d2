using StreamPredict.Cli.Demo;

namespace StreamPredict.Tests.Cli;

public sealed class SameAnswersTests
{
    private static SameAnswers Answers(double web)
    {
        var answers = new SameAnswers(["streaming", "batch", "web"], ["r-1", "r-2"]);
        foreach (var mode in new[] { "streaming", "batch" })
        {
            answers.Add(mode, "r-1", 12.89812525479844);
            answers.Add(mode, "r-2", 3.6792016599051003);
        }

        answers.Add("web", "r-1", 12.89812525479844);
        answers.Add("web", "r-2", web);
        return answers;
    }

    [Fact]
    public void Equal_doubles_in_every_mode_are_identical()
    {
        var answers = Answers(3.6792016599051003);

        Assert.True(answers.Identical);
        Assert.Empty(answers.Disagreements());
        Assert.DoesNotContain("NO", answers.Table(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_difference_of_one_ulp_is_a_disagreement_and_is_shown_in_full()
    {
        var next = Math.BitIncrement(3.6792016599051003);
        var answers = Answers(next);

        Assert.False(answers.Identical);
        var disagreement = Assert.Single(answers.Disagreements());
        var nextText = next.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual("3.6792016599051003", nextText);
        Assert.Equal($"r-2: streaming 3.6792016599051003, batch 3.6792016599051003, web {nextText}", disagreement);
        Assert.Contains("NO", answers.Table().Split('\n').Single(line => line.StartsWith("r-2", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_mode_without_an_answer_for_a_ride_is_a_disagreement()
    {
        var answers = new SameAnswers(["batch", "web"], ["r-1"]);
        answers.Add("web", "r-1", 1.5);

        Assert.False(answers.Identical);
        Assert.Equal(["r-1: batch no answer, web 1.5"], answers.Disagreements());
    }

    [Fact]
    public void No_ride_to_compare_is_not_a_pass()
    {
        var answers = new SameAnswers(["streaming", "web"], []);

        Assert.False(answers.Identical);
        Assert.Contains("no ride to compare", Assert.Single(answers.Disagreements()), StringComparison.Ordinal);
        Assert.StartsWith("ride", answers.Table(), StringComparison.Ordinal);
    }
}
