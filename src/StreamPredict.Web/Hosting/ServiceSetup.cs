using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamPredict.Web.Endpoints;
using StreamPredict.Web.Lambda;
using StreamPredict.Web.Observability;
using StreamPredict.Web.OpenApi;

namespace StreamPredict.Web.Hosting;

/// <summary>The steps of <see cref="Program.Build"/> that configure the host.</summary>
internal static class ServiceSetup
{
    /// <summary>
    /// Listens on 127.0.0.1 at <c>--port</c> (9696 by default, the course's) unless <c>--urls</c>, ASPNETCORE_URLS or
    /// ASPNETCORE_HTTP_PORTS says where: the service sits behind a backend, not on an open interface, unless told.
    /// </summary>
    public static void ListenOnLoopbackUnlessTold(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (configuration["urls"] is not null || configuration["http_ports"] is not null || configuration["https_ports"] is not null)
        {
            return;
        }

        var portText = configuration["port"];
        var port = WebSettings.DefaultPort;
        if (portText is not null && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535))
        {
            throw new WebConfigurationException($"--port '{portText}' is not a TCP port (0..65535).");
        }

        builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
    }

    /// <summary>One line per event on the console (JSON lines on Lambda, for CloudWatch); no per-request lines.</summary>
    public static void AddServiceLogging(this WebApplicationBuilder builder, Func<string, string?> getVariable)
    {
        builder.Logging.ClearProviders();
        if (ApiGatewayServer.IsStartedByLambda(getVariable))
        {
            builder.Logging.AddJsonConsole();
        }
        else
        {
            builder.Logging.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                options.UseUtcTimestamp = true;
            });
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
    }

    public static void AddModelServing(this WebApplicationBuilder builder, WebSettings settings, Func<string, string?> getVariable)
    {
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(getVariable);
        services.AddSingleton<ServiceMetrics>();
        services.AddSingleton<ModelService>();
        services.AddHostedService(provider => provider.GetRequiredService<ModelService>());
        services.AddSingleton<RideEndpoint>();
        // Our body reader enforces MAX_REQUEST_BYTES and answers 413 with problem details; Kestrel's own cap would
        // answer first, without them.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
        });
    }

    public static void AddOpenApiDocument(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, WebJsonContext.Default);
            // The readers take numbers as JSON numbers only (a quoted "130" is refused), so the schemas say so.
            options.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        });
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "StreamPredict web service";
                document.Info.Description = "Ride-duration predictions: the course's /predict, MLflow's /invocations and the Open Inference Protocol (KServe V2).";
                document.Info.Version = ServiceVersion.Text;
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer(new EndpointOperations());
        });
    }
}
