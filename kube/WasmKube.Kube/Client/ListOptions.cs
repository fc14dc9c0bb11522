namespace WasmKube.Kube.Client;

/// <summary>Query options of a list call (metav1.ListOptions).</summary>
public sealed record ListOptions
{
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }
    public string? ResourceVersion { get; init; }
    public int? Limit { get; init; }
    public string? Continue { get; init; }
}
