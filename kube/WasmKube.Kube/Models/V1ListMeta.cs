namespace WasmKube.Kube.Models;

/// <summary>metav1.ListMeta: the resourceVersion a list was read at, and the continue token for paging.</summary>
public sealed class V1ListMeta
{
    public string? ResourceVersion { get; set; }
    public string? Continue { get; set; }
    public long? RemainingItemCount { get; set; }
}
