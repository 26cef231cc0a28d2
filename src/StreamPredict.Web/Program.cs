using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StreamPredict.Aws.Lambda.Bootstrap;
using StreamPredict.Serving.Models;
using StreamPredict.Web.Endpoints;
using StreamPredict.Web.Hosting;
using StreamPredict.Web.Http;
using StreamPredict.Web.Lambda;

namespace StreamPredict.Web;

/// <summary>
/// The web service: the model behind HTTP. The same app runs on Kestrel (the executable, `streampredict serve`, the
/// container) or on Lambda behind API Gateway (when started by Lambda, our API Gateway server replaces Kestrel).
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args)
    {
        if (HealthProbe.IsRequested(args))
        {
            return HealthProbe.RunAsync(args);
        }

        // Cold start: the server's first timer (and the model GET's timeout) would otherwise start the timer thread inline.
        TimerThreadStart.InBackground();
        return RunAsync(args, Environment.GetEnvironmentVariable, CancellationToken.None);
    }

    /// <summary>Runs until SIGTERM/Ctrl-C or <paramref name="cancellationToken"/>; 1 when the settings or the first model are refused.</summary>
    /// <param name="errors">Where a refused setting is reported (one line); stderr by default.</param>
    public static async Task<int> RunAsync(string[] args, Func<string, string?> getVariable, CancellationToken cancellationToken, TextWriter? errors = null)
    {
        WebApplication app;
        try
        {
            app = Build(args, getVariable);
        }
        catch (Exception exception) when (exception is WebConfigurationException or ModelUnavailableException)
        {
            await (errors ?? Console.Error).WriteLineAsync($"error: {exception.Message}").ConfigureAwait(false);
            return 1;
        }

        // RunAsync disposes the services, so take what tells the exit code first.
        var models = app.Services.GetRequiredService<ModelService>();
        var lambda = app.Services.GetService<IServer>() as ApiGatewayServer;
        await ((IHost)app).RunAsync(cancellationToken).ConfigureAwait(false);
        return Math.Max(models.ExitCode, lambda?.ExitCode ?? 0);
    }

    /// <summary>The whole service, in order: settings, server, model, endpoints. Tests build it the same way.</summary>
    public static WebApplication Build(string[] args, Func<string, string?> getVariable)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var settings = WebSettings.FromEnvironment(getVariable);
        builder.ListenOnLoopbackUnlessTold();
        builder.AddServiceLogging(getVariable);
        builder.AddModelServing(settings, getVariable);
        builder.AddOpenApiDocument();
        builder.RunBehindApiGatewayWhenStartedByLambda(getVariable);

        var app = builder.Build();
        app.UseRequestMetricsAndProblems();
        app.MapCourseApi();
        app.MapMlflowApi();
        app.MapInferenceProtocolApi();
        app.MapHealth();
        app.MapMetrics();
        app.MapOpenApi();
        app.MapUnknownRoutes();
        return app;
    }
}
