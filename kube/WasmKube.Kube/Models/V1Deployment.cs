namespace WasmKube.Kube.Models;

/// <summary>apps/v1 Deployment.</summary>
public sealed class V1Deployment : IKubernetesObject<V1Deployment>
{
    public static ResourceDefinition<V1Deployment> Definition { get; } =
        new("apps", "v1", "Deployment", "deployments", true, KubeJsonContext.Default.V1Deployment, KubeJsonContext.Default.KubernetesListV1Deployment);

    public string? ApiVersion { get; set; } = "apps/v1";
    public string? Kind { get; set; } = "Deployment";
    public V1ObjectMeta Metadata { get; set; } = new();
    public V1DeploymentSpec? Spec { get; set; }
    public V1DeploymentStatus? Status { get; set; }
}
