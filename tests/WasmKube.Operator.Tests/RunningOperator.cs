using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WasmKube.Endpoints;
using WasmKube.Kube.Controllers;

namespace WasmKube.Operator.Tests;

/// <summary>An operator host started by a test; stopping it is graceful unless <see cref="KillAsync"/> is used.</summary>
internal sealed class RunningOperator(IHost app) : IAsyncDisposable
{
    private bool _stopped;

    public ControllerMetrics Metrics => app.Services.GetRequiredService<ControllerMetrics>();

    public double Reconciles => ReconcileOutcome.All.Sum(result => Metrics.ReconcileTotal("wasmworkload", result));

    /// <summary>The bound endpoint servers, probes first, then metrics (the order the host registers them).</summary>
    private IEnumerable<EndpointServer> Endpoints => app.Services.GetServices<IHostedService>().OfType<EndpointServer>();

    public Uri ProbeAddress => Endpoints.First().LocalUrl!;

    public Uri MetricsAddress => Endpoints.Last().LocalUrl!;

    public static async Task<RunningOperator> StartAsync(OperatorCommandLine options, Kube.Config.KubernetesClientConfiguration configuration)
    {
        var app = OperatorHost.Build(options, configuration, logging => logging.SetMinimumLevelForTests());
        await app.StartAsync();
        return new RunningOperator(app);
    }

    /// <summary>Stops abruptly: in-flight reconciles are cancelled mid-way, as when the process is killed.</summary>
    public async Task KillAsync()
    {
        _stopped = true;
        using var now = new CancellationTokenSource();
        await now.CancelAsync();
        try
        {
            await app.StopAsync(now.Token);
        }
        catch (OperationCanceledException)
        {
            // Expected: nothing was given time to finish.
        }
        app.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        await app.StopAsync();
        app.Dispose();
    }
}
