using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WasmKube.Kube.Client;
using WasmKube.Kube.Controllers;

namespace WasmKube.Kube.Hosting;

/// <summary>
/// Runs the shared cache at once (a standby keeps it warm) and the controllers only while leading when leader
/// election is on. Losing the lease stops the host, so the pod restarts clean rather than act as a second leader.
/// </summary>
public sealed class OperatorHostedService(
    IServiceProvider services,
    InformerCache cache,
    IKubernetesClient client,
    IOptions<OperatorOptions> options,
    OperatorStatus status,
    IHostApplicationLifetime lifetime,
    ILogger<OperatorHostedService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var controllers = services.GetServices<ControllerRegistration>().Select(r => r.Create(services)).ToList();
        var cacheTask = cache.RunAsync(stoppingToken);
        try
        {
            if (options.Value.LeaderElection)
            {
                var elector = new LeaderElector(client, new LeaderElectionOptions
                {
                    LeaseName = $"{options.Value.Name}-leader",
                    LeaseNamespace = options.Value.LeaderElectionNamespace ?? client.DefaultNamespace,
                }, services.GetService<ILogger<LeaderElector>>());
                await elector.RunAsync(async leading =>
                {
                    status.IsLeader = true;
                    await RunControllersAsync(controllers, leading).ConfigureAwait(false);
                }, stoppingToken).ConfigureAwait(false);
                status.IsLeader = false;
                if (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError("Leadership lost; stopping so a fresh process campaigns again");
                    lifetime.StopApplication();
                }
            }
            else
            {
                await RunControllersAsync(controllers, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Graceful shutdown.
        }
        catch (Exception e)
        {
            status.Failure = $"Controllers stopped: {e.Message}";
            logger.LogCritical(e, "Controllers stopped");
            lifetime.StopApplication();
        }
        await cacheTask.ConfigureAwait(false);
        foreach (var controller in controllers.OfType<IDisposable>())
        {
            controller.Dispose();
        }
    }

    private static Task RunControllersAsync(IEnumerable<IController> controllers, CancellationToken cancellationToken) =>
        Task.WhenAll(controllers.Select(c => c.RunAsync(cancellationToken)));
}
