namespace WasmKube.Kube.Models;

/// <summary>core/v1 EnvVar: a literal value or a reference resolved by the kubelet.</summary>
public sealed class V1EnvVar
{
    public string Name { get; set; } = "";
    public string? Value { get; set; }
    public V1EnvVarSource? ValueFrom { get; set; }
}
