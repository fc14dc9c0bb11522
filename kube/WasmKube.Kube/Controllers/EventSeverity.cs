namespace WasmKube.Kube.Controllers;

/// <summary>The type field of an Event.</summary>
public enum EventSeverity
{
    Normal,
    Warning,
}
