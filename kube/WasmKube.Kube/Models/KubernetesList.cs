namespace WasmKube.Kube.Models;

/// <summary>Any list response (DeploymentList, ServiceList, ...): they share one shape.</summary>
public sealed class KubernetesList<T>
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public V1ListMeta Metadata { get; set; } = new();
    public IList<T> Items { get; set; } = new List<T>();
}
