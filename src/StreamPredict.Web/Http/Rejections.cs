using Microsoft.AspNetCore.Http;
using StreamPredict.Web.Observability;

namespace StreamPredict.Web.Http;

/// <summary>Answers a refused request with its problem, counting refused input by kind for /metrics.</summary>
internal static class Rejections
{
    public static Task RejectAsync(this HttpContext context, Problem problem, ServiceMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(metrics);
        if (problem.Status is >= 400 and < 500)
        {
            metrics.Rejected(problem.Code);
        }

        return problem.WriteAsync(context);
    }
}
