namespace WasmKube.Kube.Models;

/// <summary>core/v1 PodTemplateSpec.</summary>
public sealed class V1PodTemplateSpec
{
    public V1ObjectMeta? Metadata { get; set; }
    public V1PodSpec? Spec { get; set; }
}
