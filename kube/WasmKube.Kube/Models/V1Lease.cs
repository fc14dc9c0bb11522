namespace WasmKube.Kube.Models;

/// <summary>coordination.k8s.io/v1 Lease: the lock object of leader election.</summary>
public sealed class V1Lease : IKubernetesObject<V1Lease>
{
    public static ResourceDefinition<V1Lease> Definition { get; } =
        new("coordination.k8s.io", "v1", "Lease", "leases", true, KubeJsonContext.Default.V1Lease, KubeJsonContext.Default.KubernetesListV1Lease);

    public string? ApiVersion { get; set; } = "coordination.k8s.io/v1";
    public string? Kind { get; set; } = "Lease";
    public V1ObjectMeta Metadata { get; set; } = new();
    public V1LeaseSpec? Spec { get; set; }
}
