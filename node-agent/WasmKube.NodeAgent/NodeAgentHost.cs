using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WasmKube.Kube.Client;
using WasmKube.Kube.Config;
using WasmKube.Kube.Runtime;
using WasmKube.NodeAgent.Install;
using WasmKube.NodeAgent.Kubernetes;
using WasmKube.NodeAgent.Metrics;
using WasmKube.Prometheus;
using WasmKube.Shim.Cgroups;

namespace WasmKube.NodeAgent;

/// <summary>The agent's web host: /metrics, /healthz, /readyz, and node setup as a background service.</summary>
public static class NodeAgentHost
{
    public static WebApplication Build(NodeAgentOptions options, KubernetesClientConfiguration? kubernetes)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.ListenAddress);
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true);
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
        var hierarchy = CgroupHierarchy.Discover(options.HostRoot is "/" or "" ? "/proc/self/mountinfo" : "/proc/1/mountinfo");
        var records = new ContainerRecordReader(ContainerdConfigLocator.HostPath(options.HostRoot, options.StateDirectory));
        registry.Register(new WorkloadMetricsCollector(records, new CgroupStatsReader(hierarchy)));
        registry.Register(new EngineMetricsCollector(records));
        builder.Services.AddSingleton(registry);
        if (!options.Uninstall && !options.MetricsOnly) builder.Services.AddHostedService<NodeSetupService>();

        var app = builder.Build();
        app.MapGet("/metrics", async (HttpContext context, MetricRegistry metrics) =>
        {
            context.Response.ContentType = TextFormat.ContentType;
            await metrics.WriteAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        });
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", (NodeSetupState state) => options.MetricsOnly || state.Current.Phase == NodeSetupPhase.Ready
            ? Results.Text("ok")
            : Results.Text($"{state.Current.Phase.ToString().ToLowerInvariant()}: {state.Current.Message}", statusCode: StatusCodes.Status503ServiceUnavailable));
        return app;
    }
}
