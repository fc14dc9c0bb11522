namespace WasmKube.Kube.Models;

/// <summary>core/v1 Event, as kubectl describe shows it.</summary>
public sealed class Corev1Event : IKubernetesObject<Corev1Event>
{
    public static ResourceDefinition<Corev1Event> Definition { get; } =
        new("", "v1", "Event", "events", true, KubeJsonContext.Default.Corev1Event, KubeJsonContext.Default.KubernetesListCorev1Event);

    public string? ApiVersion { get; set; } = "v1";
    public string? Kind { get; set; } = "Event";
    public V1ObjectMeta Metadata { get; set; } = new();
    public V1ObjectReference InvolvedObject { get; set; } = new();
    public string? Reason { get; set; }
    public string? Message { get; set; }
    public string? Type { get; set; }
    public V1EventSource? Source { get; set; }
    public DateTimeOffset? FirstTimestamp { get; set; }
    public DateTimeOffset? LastTimestamp { get; set; }
    public int? Count { get; set; }
    public string? ReportingComponent { get; set; }
    public string? ReportingInstance { get; set; }
    public string? Action { get; set; }
}
