using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WasmKube.Kube.Runtime;

namespace WasmKube.Kube.Hosting;

/// <summary>Maps the kubelet probes: /healthz (liveness, untagged checks) and /readyz (checks tagged ready).</summary>
public static class EndpointRouteBuilderExtensions
{
    public static IEndpointRouteBuilder MapKubernetesOperatorProbes(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = check => !check.Tags.Contains(ProbeTags.Ready) });
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ProbeTags.Ready) });
        return endpoints;
    }

    /// <summary>Maps /metrics with the reconcile metrics in the Prometheus text format.</summary>
    public static IEndpointRouteBuilder MapKubernetesOperatorMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/metrics", context =>
        {
            var metrics = context.RequestServices.GetRequiredService<ReconcileMetrics>();
            context.Response.ContentType = "text/plain; version=0.0.4";
            return context.Response.WriteAsync(metrics.Render(), context.RequestAborted);
        });
        return endpoints;
    }
}
