using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WasmKube.Kube.Client;
using WasmKube.Kube.Config;
using WasmKube.Kube.Runtime;

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
        services.TryAddSingleton<ReconcileMetrics>();
        services.AddHostedService<OperatorHostedService>();
        services.AddHealthChecks()
            .AddCheck<CacheSyncedHealthCheck>("informers", tags: [ProbeTags.Ready])
            .AddCheck<ControllersAliveHealthCheck>("controllers");
        return new OperatorBuilder(services);
    }

    /// <summary>
    /// Runs an <see cref="EndpointServer"/> on <paramref name="address"/> with the host; <paramref name="map"/> adds its
    /// paths once the service provider exists (<c>(server, services) =&gt; server.MapKubernetesOperatorProbes(services)</c>).
    /// </summary>
    public static IServiceCollection AddEndpointServer(this IServiceCollection services, EndpointAddress address, Action<EndpointServer, IServiceProvider> map)
    {
        services.AddSingleton<IHostedService>(provider =>
        {
            var server = new EndpointServer(address, provider.GetService<ILogger<EndpointServer>>());
            map(server, provider);
            return server;
        });
        return services;
    }
}
