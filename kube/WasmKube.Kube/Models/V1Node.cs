namespace WasmKube.Kube.Models;

/// <summary>core/v1 Node (spec and status kept untyped apart from what node components read).</summary>
public sealed class V1Node : IKubernetesObject<V1Node>
{
    public static ResourceDefinition<V1Node> Definition { get; } =
        new("", "v1", "Node", "nodes", false, KubeJsonContext.Default.V1Node, KubeJsonContext.Default.KubernetesListV1Node);

    public string? ApiVersion { get; set; } = "v1";
    public string? Kind { get; set; } = "Node";
    public V1ObjectMeta Metadata { get; set; } = new();
    public System.Text.Json.Nodes.JsonObject? Spec { get; set; }
    public System.Text.Json.Nodes.JsonObject? Status { get; set; }
}
