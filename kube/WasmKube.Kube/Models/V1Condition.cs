namespace WasmKube.Kube.Models;

/// <summary>metav1.Condition: the standard condition shape for custom resources.</summary>
public sealed class V1Condition
{
    public string Type { get; set; } = "";
    public string Status { get; set; } = "";
    public long? ObservedGeneration { get; set; }
    public DateTimeOffset LastTransitionTime { get; set; }
    public string Reason { get; set; } = "";
    public string Message { get; set; } = "";
}
