namespace WasmKube.Kube.Models;

/// <summary>core/v1 ObjectReference: what an Event is about.</summary>
public sealed class V1ObjectReference
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public string? Name { get; set; }
    public string? Namespace { get; set; }
    public string? Uid { get; set; }
    public string? ResourceVersion { get; set; }
    public string? FieldPath { get; set; }
}
