using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WasmKube.Kube.Runtime;

namespace WasmKube.Kube.Hosting;

/// <summary>The operator endpoints: kubelet probes and reconcile metrics.</summary>
public static class EndpointServerExtensions
{
    /// <summary>
    /// Maps /healthz (liveness: checks without the <see cref="ProbeTags.Ready"/> tag) and /readyz (checks with it).
    /// Each answers 200 or 503 with one line per check, in the manner of the API server's verbose health endpoints.
    /// </summary>
    public static EndpointServer MapKubernetesOperatorProbes(this EndpointServer server, IServiceProvider services)
    {
        var health = services.GetRequiredService<HealthCheckService>();
        server.Map("/healthz", (response, cancellationToken) =>
            WriteHealthAsync(health, "healthz", check => !check.Tags.Contains(ProbeTags.Ready), response, cancellationToken));
        server.Map("/readyz", (response, cancellationToken) =>
            WriteHealthAsync(health, "readyz", check => check.Tags.Contains(ProbeTags.Ready), response, cancellationToken));
        return server;
    }

    /// <summary>Maps /metrics with the reconcile and process metrics in the Prometheus text format.</summary>
    public static EndpointServer MapKubernetesOperatorMetrics(this EndpointServer server, IServiceProvider services)
    {
        var metrics = services.GetRequiredService<ReconcileMetrics>();
        server.Map("/metrics", async (response, cancellationToken) =>
        {
            response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await response.WriteAsync(metrics.Render(), cancellationToken).ConfigureAwait(false);
            await response.WriteAsync(ProcessMetrics.Render(), cancellationToken).ConfigureAwait(false);
        });
        return server;
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
