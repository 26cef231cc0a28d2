using System.Globalization;
using StreamPredict.Batch;
using StreamPredict.Tests.Model;

namespace StreamPredict.Tests.Batch;

/// <summary>
/// The batch job against the course's own code, row by row: the course's filter, ride ids and sklearn predictions
/// (score_course.py, the course's score.py functions with the course's MLflow forest) on the same month.
/// </summary>
public sealed class CourseParityTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("streampredict-course-parity-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [CourseScoringTheory]
    [InlineData("green_tripdata_2021-02.filtered", 2021, 2)]
    [InlineData("green_tripdata_2023-01", 2023, 1)]
    public async Task A_month_scored_here_has_the_course_rows_and_predictions(string month, int year, int number)
    {
        var ours = Path.Combine(_work, "ours.parquet");
        var course = Path.Combine(_work, "course.csv");
        Sklearn.Run(Path.Combine(RepositoryPaths.Root, "tests", "StreamPredict.Tests", "Batch", "score_course.py"),
            ModelTestFiles.CourseModelFolder, TlcData.File(month + ".csv.gz"), year.ToString(CultureInfo.InvariantCulture),
            number.ToString(CultureInfo.InvariantCulture), course);

        var result = await ScoringJob.RunAsync(new ScoringRequest
        {
            Input = DataLocation.Local(TlcData.File(month + ".parquet")),
            Output = ours,
            Model = BatchInputs.CourseForest,
            Month = new ScoringMonth(year, number),
        }, new ScoringOptions(), CancellationToken.None);

        var expected = File.ReadLines(course).Skip(1).Select(line => line.Split(',')).ToList();
        var (_, rows, _) = await OutputFiles.ReadPredictionsAsync(ours);
        var rejected = (await OutputFiles.ReadRejectedAsync(result.RejectedOutput)).Select(r => r.RideId).ToHashSet(StringComparer.Ordinal);

        // The course scores every 1..60-minute row; we score the same rows except those every mode refuses (a
        // distance beyond 500 miles, say), which are set aside with a reason instead.
        Assert.Equal(result.RowsIn - result.Filtered, expected.Count);
        Assert.Equal(expected.Select(e => e[0]).Where(id => !rejected.Contains(id)), rows.Select(r => r.RideId));
        var byId = expected.ToDictionary(e => e[0], StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var e = byId[row.RideId];
            Assert.Equal(DateTime.Parse(e[1], CultureInfo.InvariantCulture), row.Pickup);
            Assert.Equal((e[2], e[3]), (row.PickupZone, row.DropoffZone));
            Assert.Equal(double.Parse(e[4], CultureInfo.InvariantCulture), row.Actual, 1e-9);
            Assert.Equal(double.Parse(e[5], CultureInfo.InvariantCulture), row.Predicted, 1e-6);
        }
    }
}

/// <summary>Needs the TLC months (../shared) and Debian's sklearn and pandas; skipped locally without them, failing on CI.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class CourseScoringTheoryAttribute : TheoryAttribute
{
    public CourseScoringTheoryAttribute() => Skip = TlcData.SkipReason ?? Sklearn.SkipReason ?? Sklearn.PandasSkipReason;
}
