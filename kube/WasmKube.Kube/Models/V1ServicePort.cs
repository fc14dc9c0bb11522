namespace WasmKube.Kube.Models;

/// <summary>core/v1 ServicePort.</summary>
public sealed class V1ServicePort
{
    public string? Name { get; set; }
    public string? Protocol { get; set; }
    public int Port { get; set; }
    public IntOrString? TargetPort { get; set; }
    public int? NodePort { get; set; }
    public string? AppProtocol { get; set; }
}
