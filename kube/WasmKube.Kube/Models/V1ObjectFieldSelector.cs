namespace WasmKube.Kube.Models;

/// <summary>core/v1 ObjectFieldSelector (downward API field).</summary>
public sealed class V1ObjectFieldSelector
{
    public string? ApiVersion { get; set; }
    public string FieldPath { get; set; } = "";
}
