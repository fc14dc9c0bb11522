namespace WasmKube.Kube.Models;

/// <summary>core/v1 ConfigMap.</summary>
public sealed class V1ConfigMap : IKubernetesObject<V1ConfigMap>
{
    public static ResourceDefinition<V1ConfigMap> Definition { get; } =
        new("", "v1", "ConfigMap", "configmaps", true, KubeJsonContext.Default.V1ConfigMap, KubeJsonContext.Default.KubernetesListV1ConfigMap);

    public string? ApiVersion { get; set; } = "v1";
    public string? Kind { get; set; } = "ConfigMap";
    public V1ObjectMeta Metadata { get; set; } = new();
    public IDictionary<string, string>? Data { get; set; }
    public IDictionary<string, string>? BinaryData { get; set; }
}
