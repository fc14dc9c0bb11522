namespace WasmKube.Kube.Runtime;

/// <summary>The type field of an Event.</summary>
public enum EventSeverity
{
    Normal,
    Warning,
}
