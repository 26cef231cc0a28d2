using StreamPredict.Batch;
using StreamPredict.Batch.Lambda;
using StreamPredict.Batch.Postgres;
using StreamPredict.Data.Tlc;

namespace StreamPredict.Tests.Batch;

public class BatchPartsTests
{
    [Theory]
    [InlineData("green_tripdata_2023-03.parquet", "2023-03")]
    [InlineData("s3/trip data/yellow_tripdata_2021-12.csv.gz", "2021-12")]
    [InlineData("fhv_2019-01-extra.parquet", "2019-01")]
    public void A_month_is_read_from_a_TLC_file_name(string name, string month) =>
        Assert.Equal(month, ScoringMonth.FromFileName(name).ToString());

    [Theory]
    [InlineData("trips.parquet")]
    [InlineData("green_tripdata_2023-13.parquet")]
    [InlineData("green_20231-03.parquet")]
    public void A_name_without_a_month_gives_none(string name) => Assert.Null(ScoringMonth.FromFileName(name));

    [Fact]
    public void Months_range_across_years_and_the_course_scores_the_month_before_its_run_date()
    {
        Assert.Equal(["2021-11", "2021-12", "2022-01"], ScoringMonth.Range(new(2021, 11), new(2022, 1)).Select(m => m.ToString()));
        Assert.Equal("2021-12", ScoringMonth.BeforeRunDate(new DateTime(2022, 1, 2)).ToString());
        Assert.Equal("2022-02", ScoringMonth.BeforeRunDate(new DateTime(2022, 3, 1)).ToString());
        Assert.Throws<ArgumentException>(() => ScoringMonth.Range(new(2022, 2), new(2022, 1)));
    }

    [Fact]
    public void Ride_ids_are_the_course_format()
    {
        Assert.Equal("2021/02_0", RideIds.For(new(2021, 2), 0));
        // The UTF-8 formatter the parquet writer uses, at both ends of a long: MaxLength is enough for any row index.
        Span<byte> buffer = stackalloc byte[RideIds.MaxLength];
        var length = RideIds.Format(RideIds.Utf8Prefix(new(2023, 11)), long.MaxValue, buffer);
        Assert.Equal("2023/11_" + long.MaxValue, System.Text.Encoding.UTF8.GetString(buffer[..length]));
        length = RideIds.Format(RideIds.Utf8Prefix(new(2023, 11)), long.MinValue, buffer);
        Assert.Equal("2023/11_" + long.MinValue, System.Text.Encoding.UTF8.GetString(buffer[..length]));
    }

    [Fact]
    public void The_course_layout_names_inputs_and_outputs()
    {
        Assert.Equal("yellow_tripdata_2021-03.parquet", CourseLayout.InputName(TlcTaxiType.Yellow, new(2021, 3)));
        Assert.Equal("taxi_type=green/year=2021/month=03/abc.parquet", CourseLayout.OutputPath(TlcTaxiType.Green, new(2021, 3), "abc"));
        Assert.Equal("s3://b/out/x/y.parquet", DataLocation.ParseRoot("s3://b/out/", "r").Child("x/y.parquet").ToString());
        Assert.Equal("s3://b/x.parquet", DataLocation.ParseRoot("s3://b", "r").Child("x.parquet").ToString());
    }

    [Fact]
    public void A_postgres_url_becomes_a_connection_string_and_is_shown_without_its_password()
    {
        var target = PostgresTarget.Parse("postgresql://ana:s%40cret@db.example:6543/rides?sslmode=require", "--output");

        Assert.Equal("postgresql://ana@db.example:6543/rides", target.ToString());
        Assert.DoesNotContain("cret", target.ToString(), StringComparison.Ordinal);
        Assert.Contains("Password=s@cret", target.ConnectionString, StringComparison.Ordinal);
        Assert.Contains("Port=6543", target.ConnectionString, StringComparison.Ordinal);
        Assert.Contains("SSL Mode=Require", target.ConnectionString, StringComparison.Ordinal);
        Assert.Contains("not a connection setting", Assert.Throws<ArgumentException>(() => PostgresTarget.Parse("postgres://h/db?colour=red", "--output")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"taxi_type": "green", "year": 2021, "month": 2}""", "green", "2021-02", null)]
    [InlineData("""{"taxi_type": "Yellow", "year": "2021", "month": "12", "run_id": "r9"}""", "yellow", "2021-12", "r9")]
    [InlineData("""{"taxi_type": "green", "run_date": "2021-03-02T03:00:00Z", "extra": {"a": [1]}}""", "green", "2021-02", null)]
    [InlineData("""{"taxi_type": "green", "run_date": "2021-01-01"}""", "green", "2020-12", null)]
    public void Scoring_events_name_a_month(string json, string taxi, string month, string? runId)
    {
        var scoring = ScoringEvent.Parse(System.Text.Encoding.UTF8.GetBytes(json));

        Assert.Equal((taxi, month, runId), (scoring.TaxiType.Name(), scoring.Month.ToString(), scoring.RunId));
    }

    [Theory]
    [InlineData("[]", "not a JSON object")]
    [InlineData("{", "not JSON")]
    [InlineData("""{"year": 2021, "month": 2}""", "\"taxi_type\" is missing")]
    [InlineData("""{"taxi_type": "green", "year": 2021}""", "\"year\" and \"month\" go together")]
    [InlineData("""{"taxi_type": "green"}""", "give \"year\" and \"month\", or \"run_date\"")]
    [InlineData("""{"taxi_type": "green", "year": 2021, "month": 13}""", "are not a month")]
    [InlineData("""{"taxi_type": "green", "year": 2021.5, "month": 1}""", "\"year\" must be a whole number")]
    [InlineData("""{"taxi_type": "green", "run_date": "soon"}""", "'soon' is not a date")]
    public void Bad_events_are_the_callers_error_with_the_reason(string json, string expected)
    {
        var error = Assert.Throws<StreamPredict.Aws.Lambda.Bootstrap.LambdaFunctionException>(() => ScoringEvent.Parse(System.Text.Encoding.UTF8.GetBytes(json)));

        Assert.Equal("InvalidEvent", error.ErrorType);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_batch_function_names_each_missing_variable()
    {
        var missing = Assert.Throws<ArgumentException>(() => BatchFunctionSettings.FromEnvironment(_ => null));
        Assert.Contains("INPUT_ROOT is not set", missing.Message, StringComparison.Ordinal);

        var settings = BatchFunctionSettings.FromEnvironment(name => name switch
        {
            "INPUT_ROOT" => "s3://tlc/trip-data/",
            "OUTPUT_ROOT" => "s3://out/predictions",
            "MODEL_BUCKET" => "models",
            "RUN_ID" => "abc",
            _ => null,
        });
        Assert.Equal("s3://tlc/trip-data/green_tripdata_2021-02.parquet", settings.InputRoot.Child(CourseLayout.InputName(TlcTaxiType.Green, new(2021, 2))).ToString());
        Assert.Equal("1/abc/artifacts/model/model.json", settings.Model.Key);
        Assert.Equal("abc", settings.RunId);
    }
}
