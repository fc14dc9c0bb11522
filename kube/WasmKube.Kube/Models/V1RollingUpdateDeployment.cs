namespace WasmKube.Kube.Models;

/// <summary>apps/v1 RollingUpdateDeployment: pods (a count or a percentage) a rollout may take down or add.</summary>
public sealed class V1RollingUpdateDeployment
{
    public IntOrString? MaxUnavailable { get; set; }
    public IntOrString? MaxSurge { get; set; }
}
