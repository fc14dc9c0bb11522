namespace WasmKube.Kube.Models;

/// <summary>apps/v1 DeploymentStatus, written by the deployment controller.</summary>
public sealed class V1DeploymentStatus
{
    public long? ObservedGeneration { get; set; }
    public int? Replicas { get; set; }
    public int? UpdatedReplicas { get; set; }
    public int? ReadyReplicas { get; set; }
    public int? AvailableReplicas { get; set; }
    public int? UnavailableReplicas { get; set; }
    public IList<V1DeploymentCondition>? Conditions { get; set; }
}
