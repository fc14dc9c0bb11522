namespace WasmKube.Kube.Models;

/// <summary>core/v1 Namespace.</summary>
public sealed class V1Namespace : IKubernetesObject<V1Namespace>
{
    public static ResourceDefinition<V1Namespace> Definition { get; } =
        new("", "v1", "Namespace", "namespaces", false, KubeJsonContext.Default.V1Namespace, KubeJsonContext.Default.KubernetesListV1Namespace);

    public string? ApiVersion { get; set; } = "v1";
    public string? Kind { get; set; } = "Namespace";
    public V1ObjectMeta Metadata { get; set; } = new();
    public System.Text.Json.Nodes.JsonObject? Spec { get; set; }
    public System.Text.Json.Nodes.JsonObject? Status { get; set; }
}
