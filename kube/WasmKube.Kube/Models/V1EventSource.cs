namespace WasmKube.Kube.Models;

/// <summary>core/v1 EventSource.</summary>
public sealed class V1EventSource
{
    public string? Component { get; set; }
    public string? Host { get; set; }
}
