using Microsoft.Extensions.Diagnostics.HealthChecks;
using WasmKube.Kube.Controllers;

namespace WasmKube.Kube.Hosting;

/// <summary>Ready once every informer has listed its type once: before that, reconciles would act on an empty cache.</summary>
public sealed class CacheSyncedHealthCheck(InformerCache cache) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pending = cache.Informers.Where(i => !i.HasSynced).Select(i => i.ObjectType.Name).ToList();
        return Task.FromResult(pending.Count == 0
            ? HealthCheckResult.Healthy("All informers synced.")
            : HealthCheckResult.Unhealthy($"Waiting for the first list of: {string.Join(", ", pending)}."));
    }
}
