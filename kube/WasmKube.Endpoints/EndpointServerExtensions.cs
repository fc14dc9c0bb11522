using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WasmKube.Prometheus;

namespace WasmKube.Endpoints;

/// <summary>The paths kubelet and Prometheus ask for, and the registration of a server on the generic host.</summary>
public static class EndpointServerExtensions
{
    /// <summary>Maps /metrics: every collector of <paramref name="registry"/> in the Prometheus text format.</summary>
    public static EndpointServer MapMetrics(this EndpointServer server, MetricRegistry registry) =>
        server.Map("/metrics", (response, cancellationToken) =>
        {
            response.ContentType = TextFormat.ContentType;
            return registry.WriteAsync(response.Body, cancellationToken);
        });

    /// <summary>
    /// Maps /healthz (liveness: the checks without the tag <paramref name="readyTag"/>) and /readyz (the checks with it).
    /// Each answers 200 or 503 with one line per check, in the manner of the API server's verbose health endpoints.
    /// </summary>
    public static EndpointServer MapHealthProbes(this EndpointServer server, HealthCheckService health, string readyTag) => server
        .Map("/healthz", (response, cancellationToken) =>
            WriteHealthAsync(health, "healthz", check => !check.Tags.Contains(readyTag), response, cancellationToken))
        .Map("/readyz", (response, cancellationToken) =>
            WriteHealthAsync(health, "readyz", check => check.Tags.Contains(readyTag), response, cancellationToken));

    /// <summary>
    /// Runs an <see cref="EndpointServer"/> on <paramref name="address"/> with the host; <paramref name="map"/> adds its
    /// paths once the service provider exists (<c>(server, services) =&gt; server.MapMetrics(registry)</c>).
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

    private static async Task WriteHealthAsync(
        HealthCheckService health, string name, Func<HealthCheckRegistration, bool> predicate, EndpointResponse response, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(predicate, cancellationToken).ConfigureAwait(false);
        var text = new StringBuilder();
        foreach (var (check, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append(entry.Status == HealthStatus.Unhealthy ? "[-]" : "[+]").Append(check).Append(": ").Append(entry.Description).Append('\n');
        }
        var healthy = report.Status != HealthStatus.Unhealthy;
        text.Append(name).Append(healthy ? " check passed\n" : " check failed\n");
        response.StatusCode = healthy ? 200 : 503;
        await response.WriteAsync(text.ToString(), cancellationToken).ConfigureAwait(false);
    }
}
