using System.Globalization;
using System.Text;
using StreamPredict.Model;
using StreamPredict.Model.Formats;

namespace StreamPredict.Tests.Model.Formats;

/// <summary>
/// XGBoost's split rule mapped onto ours, case by case, on a hand-written booster: x &lt; t goes left, a missing value
/// takes default_left. With a sparse DictVectorizer, only the ride's own one-hot column is present; with a dense one,
/// every column is present (0 or 1). (Models fitted by xgboost only ever show one of the four one-hot cases, so the
/// other three are checked here.)
/// </summary>
public class XgboostTreesTests
{
    private static readonly string[] Columns = ["PU_DO=1_2", "trip_distance"];

    // Leaf values are powers of ten so that each tree's choice shows in its own digit.
    private static readonly (float Condition, bool DefaultLeft, float Left, float Right)[] OneHotTrees =
    [
        (2.0f, false, 1, 2),         // present (1 < 2) left, missing right
        (0.5f, true, 10, 20),        // present right, missing left: what xgboost fits for DictVectorizer columns
        (2.0f, true, 100, 200),      // both left
        (0.5f, false, 1000, 2000),   // both right
    ];

    [Theory]
    [InlineData(true, 1, 2, 3.0, 0.5 + 1 + 20 + 100 + 2000 + 0.25)]    // the pair's column is present
    [InlineData(true, 7, 7, 3.0, 0.5 + 2 + 10 + 100 + 2000 + 0.25)]    // an unseen pair: every one-hot column missing
    [InlineData(false, 1, 2, 3.0, 0.5 + 1 + 20 + 100 + 2000 + 0.25)]   // dense: present, x = 1
    [InlineData(false, 7, 7, 3.0, 0.5 + 1 + 10 + 100 + 1000 + 0.25)]   // dense: present, x = 0
    public void One_hot_splits_go_where_xgboost_sends_them(bool sparse, int pickup, int dropoff, double distance, double expected)
    {
        Assert.Equal(expected, Model(sparse).Predict(new Ride(pickup, dropoff, distance)));
    }

    [Theory]
    [InlineData(3.5, 0.75)]                      // x < 3.5 is false at 3.5 itself
    [InlineData(3.4999998, 0.25)]                // the float32 just below 3.5
    [InlineData(3.49999999, 0.75)]               // rounds to 3.5 as float32, as XGBoost reads it
    [InlineData(0.0, 0.25)]
    public void Distance_splits_are_strictly_less_than_on_float32(double distance, double leaf)
    {
        Assert.Equal(0.5 + 2 + 10 + 100 + 2000 + leaf, Model(sparse: true).Predict(new Ride(7, 7, distance)));
    }

    [Fact]
    public void A_split_on_a_column_the_vectorizer_lacks_is_refused()
    {
        var error = Assert.Throws<ModelLoadException>(() => ModelFormats.XgboostToArtifact(
            Encoding.UTF8.GetBytes(Booster([Tree("5", "0.5", "0", "1", "2")])), PickleWriter.DictVectorizer(Columns)));

        Assert.Contains("feature 5", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"binary:logistic\"", "\"gbtree\"", "objective 'binary:logistic'")]
    [InlineData("\"reg:squarederror\"", "\"dart\"", "'dart' booster")]
    public void Other_objectives_and_boosters_are_refused_by_name(string objective, string booster, string expected)
    {
        string json = Booster([Tree("1", "3.5", "0", "0.25", "0.75")]).Replace("\"reg:squarederror\"", objective, StringComparison.Ordinal)
            .Replace("\"gbtree\"", booster, StringComparison.Ordinal);

        var error = Assert.Throws<ModelLoadException>(() => ModelFormats.XgboostToArtifact(Encoding.UTF8.GetBytes(json), PickleWriter.DictVectorizer(Columns)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static CompiledModel Model(bool sparse)
    {
        var trees = OneHotTrees.Select(t => Tree("0", F(t.Condition), t.DefaultLeft ? "1" : "0", F(t.Left), F(t.Right)))
            .Append(Tree("1", "3.5", "0", "0.25", "0.75"));
        return CompiledModel.Compile(ModelFormats.XgboostToArtifact(
            Encoding.UTF8.GetBytes(Booster([.. trees])), PickleWriter.DictVectorizer(Columns, sparse), new ModelReadOptions { Version = "test" }));
    }

    private static string F(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Tree(string feature, string condition, string defaultLeft, string left, string right) => $$$"""
        {"left_children":[1,-1,-1],"right_children":[2,-1,-1],"split_indices":[{{{feature}}},0,0],
         "split_conditions":[{{{condition}}},{{{left}}},{{{right}}}],"default_left":[{{{defaultLeft}}},0,0],"split_type":[0,0,0]}
        """;

    private static string Booster(string[] trees) =>
        """{"learner":{"learner_model_param":{"base_score":"5E-1","num_feature":"2","num_target":"1"},"objective":{"name":"reg:squarederror"},"gradient_booster":{"name":"gbtree","model":{"trees":["""
        + string.Join(",", trees) + """]}}},"version":[1,7,4]}""";
}
