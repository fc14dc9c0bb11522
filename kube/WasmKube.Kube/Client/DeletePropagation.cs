namespace WasmKube.Kube.Client;

/// <summary>How the garbage collector treats dependents of a deleted object.</summary>
public enum DeletePropagation
{
    Background,
    Foreground,
    Orphan,
}
