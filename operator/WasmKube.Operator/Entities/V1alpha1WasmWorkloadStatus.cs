using WasmKube.Kube.Models;

namespace WasmKube.Operator.Entities;

/// <summary>Observed state, computed from the workload's Deployment.</summary>
public sealed class V1alpha1WasmWorkloadStatus
{
    public long? ObservedGeneration { get; set; }
    public int? Replicas { get; set; }
    public int? ReadyReplicas { get; set; }
    public int? AvailableReplicas { get; set; }
    public int? UpdatedReplicas { get; set; }

    /// <summary>Label selector of the pods, as a string, for the scale subresource (HPA).</summary>
    public string? Selector { get; set; }
    public IList<V1Condition>? Conditions { get; set; }
}
