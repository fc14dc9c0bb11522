namespace WasmKube.Kube.Models;

/// <summary>core/v1 Secret (data values are base64).</summary>
public sealed class V1Secret : IKubernetesObject<V1Secret>
{
    public static ResourceDefinition<V1Secret> Definition { get; } =
        new("", "v1", "Secret", "secrets", true, KubeJsonContext.Default.V1Secret, KubeJsonContext.Default.KubernetesListV1Secret);

    public string? ApiVersion { get; set; } = "v1";
    public string? Kind { get; set; } = "Secret";
    public V1ObjectMeta Metadata { get; set; } = new();
    public IDictionary<string, string>? Data { get; set; }
    public IDictionary<string, string>? StringData { get; set; }
    public string? Type { get; set; }
}
