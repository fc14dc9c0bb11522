namespace WasmKube.Kube.Controllers;

/// <summary>What changed in an informer's cache.</summary>
public enum InformerEventType
{
    Added,
    Updated,
    Deleted,
}
