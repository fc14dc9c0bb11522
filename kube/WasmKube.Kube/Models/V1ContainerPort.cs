namespace WasmKube.Kube.Models;

/// <summary>core/v1 ContainerPort.</summary>
public sealed class V1ContainerPort
{
    public string? Name { get; set; }
    public int ContainerPort { get; set; }
    public string? Protocol { get; set; }
}
