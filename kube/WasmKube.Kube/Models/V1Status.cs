namespace WasmKube.Kube.Models;

/// <summary>metav1.Status: the body of every API error and of some delete responses.</summary>
public sealed class V1Status
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public string? Status { get; set; }
    public string? Message { get; set; }
    public string? Reason { get; set; }
    public int? Code { get; set; }
}
