namespace WasmKube.Kube.Models;

/// <summary>core/v1 Pod.</summary>
public sealed class V1Pod : IKubernetesObject<V1Pod>
{
    public static ResourceDefinition<V1Pod> Definition { get; } =
        new("", "v1", "Pod", "pods", true, KubeJsonContext.Default.V1Pod, KubeJsonContext.Default.KubernetesListV1Pod);

    public string? ApiVersion { get; set; } = "v1";
    public string? Kind { get; set; } = "Pod";
    public V1ObjectMeta Metadata { get; set; } = new();
    public V1PodSpec? Spec { get; set; }
    public System.Text.Json.Nodes.JsonObject? Status { get; set; }
}
