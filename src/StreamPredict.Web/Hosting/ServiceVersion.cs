using System.Reflection;

namespace StreamPredict.Web.Hosting;

/// <summary>The service's name and version, as /version and /v2 report it.</summary>
internal static class ServiceVersion
{
    public static string Text { get; } = "streampredict-web " +
        (typeof(ServiceVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0");
}
