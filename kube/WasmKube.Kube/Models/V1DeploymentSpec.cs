namespace WasmKube.Kube.Models;

/// <summary>apps/v1 DeploymentSpec.</summary>
public sealed class V1DeploymentSpec
{
    public int? Replicas { get; set; }
    public V1LabelSelector Selector { get; set; } = new();
    public V1PodTemplateSpec Template { get; set; } = new();
    public V1DeploymentStrategy? Strategy { get; set; }
    public int? MinReadySeconds { get; set; }
    public int? RevisionHistoryLimit { get; set; }
    public int? ProgressDeadlineSeconds { get; set; }
    public bool? Paused { get; set; }
}
