namespace WasmKube.Kube.Models;

/// <summary>apps/v1 DeploymentStrategy: <c>RollingUpdate</c> (the default) or <c>Recreate</c>.</summary>
public sealed class V1DeploymentStrategy
{
    public string? Type { get; set; }
    public V1RollingUpdateDeployment? RollingUpdate { get; set; }
}
