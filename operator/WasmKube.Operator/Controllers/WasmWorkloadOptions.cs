namespace WasmKube.Operator.Controllers;

/// <summary>Settings of the WasmWorkload reconciler.</summary>
public sealed record WasmWorkloadOptions
{
    /// <summary>
    /// How soon a Degraded workload is looked at again: a child the API server rejected (an admission webhook, a quota)
    /// sends no event when the cause goes away. A missing ConfigMap does: it is watched.
    /// </summary>
    public TimeSpan RecheckInterval { get; init; } = TimeSpan.FromSeconds(30);
}
