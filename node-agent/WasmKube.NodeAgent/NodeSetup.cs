using System.Text.Json;
using Microsoft.Extensions.Logging;
using WasmKube.Contracts;
using WasmKube.NodeAgent.Containerd;
using WasmKube.NodeAgent.Install;
using WasmKube.NodeAgent.Kubernetes;

namespace WasmKube.NodeAgent;

/// <summary>
/// Prepares the node in order, each step idempotent: verify and install the node payload as a version of its own and
/// switch to it, write the shim's settings, register the handler (on the stable <c>current</c> path),
/// restart containerd only if the config changed, prove the handler with a probe task, then label the node and
/// ensure the RuntimeClass. A failure labels the node failed with an Event naming the step and the reason.
/// </summary>
public sealed class NodeSetup(NodeAgentOptions options, HostCommands host, NodeRegistration? registration, NodeSetupState state, ILogger<NodeSetup> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var step = "install the node payload";
        try
        {
            var installed = await Installer().InstallAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation(
                "Payload {Version} in {Directory}: {Copied}, {Switched}; previous {Previous}; removed unused {Removed}",
                installed.Version, options.InstallDirectory, installed.Copied ? "copied and verified" : "already installed and verified",
                installed.Switched ? "now current" : "was current", installed.Previous ?? "none", installed.Removed);

            step = "register the runtime handler";
            var target = ContainerdConfigLocator.Locate(host.HostRoot, options.ContainerdConfig);
            var service = new ContainerdService(host, options.RestartCommand);
            var registered = await new RuntimeHandlerInstaller(host).RegisterAsync(target, Handler, cancellationToken).ConfigureAwait(false);
            logger.LogInformation(
                "Handler {Handler} in {Config} ({Flavor}): {Outcome}, cgroup driver {Driver}",
                options.HandlerName, target.ConfigPath, target.Flavor, registered.Changed ? "added" : "already present", registered.CgroupDriver);

            if (registered.Changed && options.RestartContainerd)
            {
                step = "restart containerd";
                await service.RestartAsync(target, cancellationToken).ConfigureAwait(false);
            }

            step = "wait for containerd";
            await service.WaitReadyAsync(options.ContainerdSocket, TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);

            step = "run a probe task through the shim";
            if (await service.ProbeAsync(options.ContainerdSocket, options.ShimPath, Path.Join(options.ConfigDirectory, "probe"), cancellationToken).ConfigureAwait(false) is { } failure)
                throw new InvalidOperationException(failure);

            step = "label the node and ensure the RuntimeClass";
            if (registration is not null && options.NodeName is { } node)
            {
                await registration.EnsureRuntimeClassAsync(RuntimeNames.RuntimeClass, options.HandlerName, cancellationToken).ConfigureAwait(false);
                await registration.MarkAsync(node, true, "WasmRuntimeReady", $"runtime handler {options.HandlerName} installed and verified", cancellationToken).ConfigureAwait(false);
            }

            state.Set(NodeSetupPhase.Ready, "runtime handler installed and verified");
            logger.LogInformation("Node ready for wasm workloads");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var message = $"cannot {step}: {e.Message}";
            state.Set(NodeSetupPhase.Failed, message);
            logger.LogError(e, "Node setup failed: {Message}", message);
            if (registration is not null && options.NodeName is { } node)
            {
                try
                {
                    await registration.MarkAsync(node, false, "WasmRuntimeFailed", message, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception report) when (report is not OperationCanceledException)
                {
                    logger.LogWarning(report, "Could not report the failure on node {Node}", node);
                }
            }
        }
    }

    public async Task UninstallAsync(CancellationToken cancellationToken)
    {
        var target = ContainerdConfigLocator.Locate(host.HostRoot, options.ContainerdConfig);
        var removed = await new RuntimeHandlerInstaller(host).UnregisterAsync(target, options.HandlerName, cancellationToken).ConfigureAwait(false);
        if (removed.Changed && options.RestartContainerd)
        {
            var service = new ContainerdService(host, options.RestartCommand);
            await service.RestartAsync(target, cancellationToken).ConfigureAwait(false);
            await service.WaitReadyAsync(options.ContainerdSocket, TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        }

        var kept = Installer().Uninstall();
        if (kept.Count > 0) logger.LogWarning("Payload versions {Versions} still run on the node and stay in {Directory}", kept, options.InstallDirectory);
        if (registration is not null && options.NodeName is { } node) await registration.UnmarkAsync(node, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Removed handler {Handler} ({Changed}), shim files and node label", options.HandlerName, removed.Changed ? "config edited" : "was not registered");
    }

    /// <summary>Makes the previous payload version current; containerd starts new shims from it at once.</summary>
    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        var rolledBack = await Installer().RollbackAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Payload {Version} is current again (was {Previous})", rolledBack.Version, rolledBack.Previous ?? "none");
    }

    private PayloadInstaller Installer() => new(
        options.ShimSource, host.LocalPath(options.InstallDirectory), new RunningPayloadProcesses(options.InstallDirectory));

    private RuntimeHandler Handler => new(
        options.HandlerName,
        RuntimeNames.RuntimeType,
        options.ShimPath,
        ["wasmkube.io/*"]);
}
