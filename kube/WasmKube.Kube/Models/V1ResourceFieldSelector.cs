namespace WasmKube.Kube.Models;

/// <summary>core/v1 ResourceFieldSelector (downward API resource).</summary>
public sealed class V1ResourceFieldSelector
{
    public string? ContainerName { get; set; }
    public string Resource { get; set; } = "";
    public ResourceQuantity? Divisor { get; set; }
}
