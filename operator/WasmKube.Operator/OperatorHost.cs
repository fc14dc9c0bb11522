using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WasmKube.Endpoints;
using WasmKube.Kube.Config;
using WasmKube.Kube.Controllers;
using WasmKube.Kube.Hosting;
using WasmKube.Kube.Models;
using WasmKube.Operator.Controllers;
using WasmKube.Operator.Entities;
using WasmKube.Prometheus;

namespace WasmKube.Operator;

/// <summary>Builds the operator's host: the controller plus probe and metrics endpoints. Tests start it too.</summary>
public static class OperatorHost
{
    public const string Name = "wasmkube-operator";

    public static IHost Build(OperatorCommandLine options, KubernetesClientConfiguration configuration, Action<ILoggingBuilder>? logging = null)
    {
        // The empty builder reads no configuration files (and so watches none); the flags are the configuration.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = Name });
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        logging?.Invoke(builder.Logging);
        builder.Services.AddSingleton(new WasmWorkloadOptions { RecheckInterval = options.RecheckInterval });
        var registry = new MetricRegistry();
        registry.Register(new ProcessCollector());
        builder.Services.AddSingleton(registry);
        builder.Services.AddKubernetesClient(configuration)
            .AddKubernetesOperator(o =>
            {
                o.Name = Name;
                o.WatchNamespace = options.Namespace;
                o.LeaderElection = options.LeaderElect;
                o.LeaderElectionNamespace = options.LeaderElectionNamespace;
                o.MaxConcurrentReconciles = options.MaxConcurrentReconciles;
            })
            .AddController<WasmWorkloadReconciler, V1alpha1WasmWorkload>(controller => controller
                .Owns<V1Deployment>()
                .Owns<V1Service>()
                .Watches<V1ConfigMapMetadata>(map => WorkloadsRequiring(controller.Cache, map)));
        if (options.HealthProbeAddress is { } probes)
        {
            builder.Services.AddEndpointServer(probes, (server, services) => server.MapHealthProbes(services.GetRequiredService<HealthCheckService>(), ProbeTags.Ready));
        }
        if (options.MetricsAddress is { } metrics)
        {
            builder.Services.AddEndpointServer(metrics, (server, _) => server.MapMetrics(registry));
        }
        return builder.Build();
    }

    /// <summary>The workloads in the ConfigMap's namespace that require it: a ConfigMap created or deleted changes their check.</summary>
    private static IEnumerable<ReconcileRequest> WorkloadsRequiring(InformerCache cache, V1ConfigMapMetadata map) =>
        cache.List<V1alpha1WasmWorkload>(map.Metadata.Namespace)
            .Where(workload => SpecChecker.RequiredConfigMaps(workload).Contains(map.Metadata.Name))
            .Select(workload => new ReconcileRequest(workload.Metadata.Namespace, workload.Metadata.Name!));
}
