namespace StreamPredict.Data.Tlc;

/// <summary>The course's filter: only rides of 1 to 60 minutes (both ends included) are trained on or scored.</summary>
public static class CourseFilter
{
    public const double MinDurationMinutes = 1;
    public const double MaxDurationMinutes = 60;

    public static bool Keeps(double durationMinutes) => durationMinutes is >= MinDurationMinutes and <= MaxDurationMinutes;
}
