namespace WasmKube.Kube.Models;

/// <summary>core/v1 Service.</summary>
public sealed class V1Service : IKubernetesObject<V1Service>
{
    public static ResourceDefinition<V1Service> Definition { get; } =
        new("", "v1", "Service", "services", true, KubeJsonContext.Default.V1Service, KubeJsonContext.Default.KubernetesListV1Service);

    public string? ApiVersion { get; set; } = "v1";
    public string? Kind { get; set; } = "Service";
    public V1ObjectMeta Metadata { get; set; } = new();
    public V1ServiceSpec? Spec { get; set; }
    public System.Text.Json.Nodes.JsonObject? Status { get; set; }
}
