namespace WasmKube.Kube.Models;

/// <summary>Any persisted API object: type information plus metadata.</summary>
public interface IKubernetesObject
{
    string? ApiVersion { get; set; }

    string? Kind { get; set; }

    V1ObjectMeta Metadata { get; set; }
}
