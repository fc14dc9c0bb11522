namespace WasmKube.Kube.Models;

/// <summary>core/v1 LocalObjectReference: a name in the same namespace.</summary>
public sealed class V1LocalObjectReference
{
    public string Name { get; set; } = "";
}
