using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WasmKube.Kube.Config;
using WasmKube.Kube.Hosting;
using WasmKube.Kube.Models;
using WasmKube.Operator.Controllers;
using WasmKube.Operator.Entities;

namespace WasmKube.Operator;

/// <summary>Builds the operator's web host: the controller plus probe and metrics endpoints. Tests start it too.</summary>
public static class OperatorHost
{
    public const string Name = "wasmkube-operator";

    public static WebApplication Build(OperatorCommandLine options, KubernetesClientConfiguration configuration, Action<ILoggingBuilder>? logging = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        logging?.Invoke(builder.Logging);
        var urls = new[] { OperatorCommandLine.ToUrl(options.HealthProbeAddress), OperatorCommandLine.ToUrl(options.MetricsAddress) }
            .OfType<string>().Distinct().ToArray();
        // With both endpoints disabled Kestrel would fall back to localhost:5000; an ephemeral loopback port serves no one.
        builder.WebHost.UseUrls(urls.Length > 0 ? urls : ["http://127.0.0.1:0"]);
        builder.Services.AddSingleton(new WasmWorkloadOptions { RecheckInterval = options.RecheckInterval });
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
                .Owns<V1Service>());

        var app = builder.Build();
        app.MapKubernetesOperatorProbes();
        app.MapKubernetesOperatorMetrics();
        return app;
    }
}
