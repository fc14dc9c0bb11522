namespace WasmKube.Kube.Models;

/// <summary>
/// A core/v1 ConfigMap as PartialObjectMetadata (meta.k8s.io/v1): its metadata without its data, for watching which
/// ConfigMaps exist without caching or being allowed to read their contents.
/// </summary>
public sealed class V1ConfigMapMetadata : IKubernetesObject<V1ConfigMapMetadata>
{
    public static ResourceDefinition<V1ConfigMapMetadata> Definition { get; } =
        new("", "v1", "ConfigMap", "configmaps", true, KubeJsonContext.Default.V1ConfigMapMetadata, KubeJsonContext.Default.KubernetesListV1ConfigMapMetadata,
            MetadataOnly: true);

    public string? ApiVersion { get; set; } = "meta.k8s.io/v1";
    public string? Kind { get; set; } = "PartialObjectMetadata";
    public V1ObjectMeta Metadata { get; set; } = new();
}
