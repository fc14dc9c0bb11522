namespace WasmKube.Kube.Models;

/// <summary>core/v1 ServiceSpec.</summary>
public sealed class V1ServiceSpec
{
    public string? Type { get; set; }
    public IDictionary<string, string>? Selector { get; set; }
    public IList<V1ServicePort>? Ports { get; set; }
    public string? ClusterIP { get; set; }
}
