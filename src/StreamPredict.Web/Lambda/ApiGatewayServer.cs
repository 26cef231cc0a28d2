using System.Buffers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamPredict.Aws.Lambda.Bootstrap;
using StreamPredict.Aws.Lambda.Client;
using StreamPredict.Aws.Lambda.Context;
using StreamPredict.Web.Hosting;

namespace StreamPredict.Web.Lambda;

/// <summary>
/// The server when Lambda runs the service: instead of listening on a socket, it takes API Gateway HTTP API events
/// from the Lambda Runtime API (our <see cref="LambdaBootstrap"/>), runs each through the same ASP.NET Core pipeline
/// as an HttpContext, and answers with the response in API Gateway's format. So every endpoint, reader and problem
/// answer is the one Kestrel serves. Init waits for the first model; a model that cannot be loaded goes to
/// /init/error with the function's message, and the process exits 1.
/// </summary>
internal sealed partial class ApiGatewayServer(ModelService models, IHostApplicationLifetime lifetime, ILogger<ApiGatewayServer> log, Func<string, string?> getVariable) : IServer
{
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private RuntimeApiClient? _client;

    public IFeatureCollection Features { get; } = new FeatureCollection();

    /// <summary>The bootstrap's exit code: 1 after an init error, 2 when the Runtime API went away.</summary>
    public int ExitCode { get; private set; }

    public static bool IsStartedByLambda(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        return !string.IsNullOrEmpty(getVariable(RuntimeApiHeaders.RuntimeApiVariable));
    }

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull
    {
        _client = new RuntimeApiClient(getVariable(RuntimeApiHeaders.RuntimeApiVariable)!);
        var bootstrap = new LambdaBootstrap(_client, line => LogBootstrap(line));
        _loop = Task.Run(async () =>
        {
            ExitCode = await bootstrap.RunAsync(async _ =>
            {
                // Not cancelled by shutdown: the first load ends either way, and its failure must reach /init/error.
                await models.FirstLoad.ConfigureAwait(false);
                return new Handler<TContext>(application);
            }, _stop.Token).ConfigureAwait(false);
            lifetime.StopApplication();
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _client?.Dispose();
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Line}")]
    private partial void LogBootstrap(string line);

    /// <summary>One event → one HttpContext through the app → one API Gateway response.</summary>
    private sealed class Handler<TContext>(IHttpApplication<TContext> application) : ILambdaHandler where TContext : notnull
    {
        public async ValueTask HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, IBufferWriter<byte> response, CancellationToken cancellationToken)
        {
            var request = ApiGatewayRequest.Read(payload.Span);
            using var answer = new InvocationResponseFeature();
            var httpContext = application.CreateContext(request.ToFeatures(answer, cancellationToken));
            Exception? failure = null;
            try
            {
                await application.ProcessRequestAsync(httpContext).ConfigureAwait(false);
                await answer.CompleteAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Whatever failed, API Gateway gets a 500 rather than a Lambda error.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                failure = exception;
                if (!answer.HasStarted)
                {
                    answer.StatusCode = 500;
                    answer.Headers.Clear();
                }
            }
            finally
            {
                application.DisposeContext(httpContext, failure);
            }

            ApiGatewayResponse.Write(response, answer);
        }
    }
}

internal static class ApiGatewayHosting
{
    /// <summary>When AWS_LAMBDA_RUNTIME_API is set, serve API Gateway events from the Runtime API instead of a socket.</summary>
    public static void RunBehindApiGatewayWhenStartedByLambda(this WebApplicationBuilder builder, Func<string, string?> getVariable)
    {
        if (ApiGatewayServer.IsStartedByLambda(getVariable))
        {
            builder.Services.AddSingleton<IServer, ApiGatewayServer>();
        }
    }
}
