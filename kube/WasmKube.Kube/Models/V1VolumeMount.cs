namespace WasmKube.Kube.Models;

/// <summary>core/v1 VolumeMount.</summary>
public sealed class V1VolumeMount
{
    public string Name { get; set; } = "";
    public string MountPath { get; set; } = "";
    public bool? ReadOnly { get; set; }
    public string? SubPath { get; set; }
}
