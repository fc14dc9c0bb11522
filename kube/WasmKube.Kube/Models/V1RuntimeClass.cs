namespace WasmKube.Kube.Models;

/// <summary>node.k8s.io/v1 RuntimeClass: maps a class name to a CRI handler.</summary>
public sealed class V1RuntimeClass : IKubernetesObject<V1RuntimeClass>
{
    public static ResourceDefinition<V1RuntimeClass> Definition { get; } =
        new("node.k8s.io", "v1", "RuntimeClass", "runtimeclasses", false, KubeJsonContext.Default.V1RuntimeClass, KubeJsonContext.Default.KubernetesListV1RuntimeClass);

    public string? ApiVersion { get; set; } = "node.k8s.io/v1";
    public string? Kind { get; set; } = "RuntimeClass";
    public V1ObjectMeta Metadata { get; set; } = new();
    public string Handler { get; set; } = "";
    public V1RuntimeClassScheduling? Scheduling { get; set; }
    public System.Text.Json.Nodes.JsonObject? Overhead { get; set; }
}
