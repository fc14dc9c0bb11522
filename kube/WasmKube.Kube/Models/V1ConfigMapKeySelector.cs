namespace WasmKube.Kube.Models;

/// <summary>core/v1 ConfigMapKeySelector.</summary>
public sealed class V1ConfigMapKeySelector
{
    public string Name { get; set; } = "";
    public string Key { get; set; } = "";
    public bool? Optional { get; set; }
}
