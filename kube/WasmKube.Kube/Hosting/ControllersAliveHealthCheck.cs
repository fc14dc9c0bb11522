using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WasmKube.Kube.Hosting;

/// <summary>Live unless the controllers crashed; a standby waiting for the lease is live.</summary>
public sealed class ControllersAliveHealthCheck(OperatorStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.Failure is { } failure
            ? HealthCheckResult.Unhealthy(failure)
            : HealthCheckResult.Healthy(status.IsLeader ? "Leading." : "Running."));
}
