namespace WasmKube.Kube.Models;

/// <summary>core/v1 ResourceRequirements.</summary>
public sealed class V1ResourceRequirements
{
    public IDictionary<string, ResourceQuantity>? Limits { get; set; }
    public IDictionary<string, ResourceQuantity>? Requests { get; set; }
}
