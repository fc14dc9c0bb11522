using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WasmKube.Kube.Client;
using WasmKube.Kube.Config;
using WasmKube.Kube.Controllers;
using WasmKube.Prometheus;

namespace WasmKube.Kube.Hosting;

/// <summary>Registration on the generic host: <c>services.AddKubernetesClient(config).AddKubernetesOperator(...).AddController&lt;R, E&gt;()</c>.</summary>
public static class ServiceCollectionExtensions
{
    public static IServiceCollection AddKubernetesClient(this IServiceCollection services, KubernetesClientConfiguration configuration)
    {
        services.TryAddSingleton<IKubernetesClient>(provider =>
            new KubernetesClient(configuration, logger: provider.GetService<ILogger<KubernetesClient>>()));
        return services;
    }

    public static OperatorBuilder AddKubernetesOperator(this IServiceCollection services, Action<OperatorOptions>? configure = null)
    {
        var options = services.AddOptions<OperatorOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.TryAddSingleton(provider => new InformerCache(
            provider.GetRequiredService<IKubernetesClient>(),
            provider.GetRequiredService<IOptions<OperatorOptions>>().Value.WatchNamespace,
            provider.GetService<ILoggerFactory>()));
        services.TryAddSingleton<IEventRecorder>(provider => new EventRecorder(
            provider.GetRequiredService<IKubernetesClient>(),
            provider.GetRequiredService<IOptions<OperatorOptions>>().Value.Name,
            provider.GetService<ILogger<EventRecorder>>()));
        services.TryAddSingleton<OperatorStatus>();
        // The process's registry when it registered one (with its own collectors), else one for the controllers alone.
        services.TryAddSingleton(_ => new MetricRegistry());
        services.TryAddSingleton(provider => new ControllerMetrics(provider.GetRequiredService<MetricRegistry>()));
        services.AddHostedService<OperatorHostedService>();
        services.AddHealthChecks()
            .AddCheck<CacheSyncedHealthCheck>("informers", tags: [ProbeTags.Ready])
            .AddCheck<ControllersAliveHealthCheck>("controllers");
        return new OperatorBuilder(services);
    }
}
