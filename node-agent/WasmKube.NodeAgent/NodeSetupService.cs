using Microsoft.Extensions.Hosting;

namespace WasmKube.NodeAgent;

/// <summary>Runs node setup at start, and again every minute while it fails (containerd may come up late).</summary>
internal sealed class NodeSetupService(NodeSetup setup, NodeSetupState state) : BackgroundService
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await setup.RunAsync(stoppingToken).ConfigureAwait(false);
            if (state.Current.Phase == NodeSetupPhase.Ready) return;
            await Task.Delay(RetryInterval, stoppingToken).ConfigureAwait(false);
        }
    }
}
