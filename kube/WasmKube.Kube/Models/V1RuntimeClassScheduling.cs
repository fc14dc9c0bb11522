namespace WasmKube.Kube.Models;

/// <summary>node.k8s.io/v1 Scheduling: where pods of a RuntimeClass may run.</summary>
public sealed class V1RuntimeClassScheduling
{
    public IDictionary<string, string>? NodeSelector { get; set; }
    public IList<V1Toleration>? Tolerations { get; set; }
}
