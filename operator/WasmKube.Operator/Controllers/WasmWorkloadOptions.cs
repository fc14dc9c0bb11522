namespace WasmKube.Operator.Controllers;

/// <summary>Settings of the WasmWorkload reconciler.</summary>
public sealed record WasmWorkloadOptions
{
    /// <summary>How soon a workload with a spec problem is looked at again (a missing ConfigMap sends us no event).</summary>
    public TimeSpan RecheckInterval { get; init; } = TimeSpan.FromSeconds(30);
}
