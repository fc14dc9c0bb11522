using System.Text.Json.Nodes;

namespace WasmKube.Kube.Models;

/// <summary>core/v1 PodSpec: the fields WasmKube components set; volumes and affinity pass through untyped.</summary>
public sealed class V1PodSpec
{
    public IList<V1Container> Containers { get; set; } = new List<V1Container>();
    public IList<V1Container>? InitContainers { get; set; }
    public IList<JsonObject>? Volumes { get; set; }
    public string? RuntimeClassName { get; set; }
    public IDictionary<string, string>? NodeSelector { get; set; }
    public IList<V1Toleration>? Tolerations { get; set; }
    public JsonObject? Affinity { get; set; }
    public string? ServiceAccountName { get; set; }
    public IList<V1LocalObjectReference>? ImagePullSecrets { get; set; }
    public string? RestartPolicy { get; set; }
    public long? TerminationGracePeriodSeconds { get; set; }
    public string? NodeName { get; set; }
}
