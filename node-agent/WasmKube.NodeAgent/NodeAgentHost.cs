using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WasmKube.Endpoints;
using WasmKube.Kube.Client;
using WasmKube.Kube.Config;
using WasmKube.Kube.Controllers;
using WasmKube.NodeAgent.Install;
using WasmKube.NodeAgent.Kubernetes;
using WasmKube.NodeAgent.Metrics;
using WasmKube.Prometheus;

namespace WasmKube.NodeAgent;

/// <summary>The agent's host: /metrics, /healthz, /readyz, and node setup as a background service.</summary>
public static class NodeAgentHost
{
    public static IHost Build(NodeAgentOptions options, KubernetesClientConfiguration? kubernetes)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "wasmkube-node-agent" });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new HostCommands(options.HostRoot, enterHostNamespaces: options.HostRoot is not ("/" or "")));
        builder.Services.AddSingleton<NodeSetupState>();
        if (kubernetes is not null)
        {
            builder.Services.AddSingleton<IKubernetesClient>(provider => new KubernetesClient(kubernetes, logger: provider.GetService<ILogger<KubernetesClient>>()));
            builder.Services.AddSingleton<IEventRecorder>(provider => new EventRecorder(
                provider.GetRequiredService<IKubernetesClient>(), "wasmkube-node-agent", provider.GetService<ILogger<EventRecorder>>()) { Host = options.NodeName! });
            builder.Services.AddSingleton<NodeRegistration>();
        }

        builder.Services.AddSingleton(provider => new NodeSetup(
            options,
            provider.GetRequiredService<HostCommands>(),
            provider.GetService<NodeRegistration>(),
            provider.GetRequiredService<NodeSetupState>(),
            provider.GetRequiredService<ILogger<NodeSetup>>()));

        var registry = new MetricRegistry();
        var hierarchy = HostCgroups.Discover(options.HostRoot);
        var records = new ContainerRecordReader(HostRoot.Resolve(options.HostRoot, options.StateDirectory));
        registry.Register(new WorkloadMetricsCollector(records, new CgroupStatsReader(hierarchy)));
        registry.Register(new EngineMetricsCollector(records));
        // The agent's own footprint on every node, in the families the operator exports too.
        registry.Register(new ProcessCollector());
        builder.Services.AddSingleton(registry);
        if (!options.Uninstall && !options.MetricsOnly) builder.Services.AddHostedService<NodeSetupService>();

        builder.Services.AddEndpointServer(options.ListenAddress, (server, services) =>
        {
            var state = services.GetRequiredService<NodeSetupState>();
            server.MapMetrics(registry);
            server.Map("/healthz", (response, cancellationToken) => response.WriteAsync("ok", cancellationToken));
            server.Map("/readyz", (response, cancellationToken) =>
            {
                if (options.MetricsOnly || state.Current.Phase == NodeSetupPhase.Ready)
                {
                    return response.WriteAsync("ok", cancellationToken);
                }
                response.StatusCode = 503;
                return response.WriteAsync($"{state.Current.Phase.ToString().ToLowerInvariant()}: {state.Current.Message}", cancellationToken);
            });
        });
        return builder.Build();
    }
}
