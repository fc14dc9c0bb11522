namespace WasmKube.Kube.Models;

/// <summary>core/v1 Container.</summary>
public sealed class V1Container
{
    public string Name { get; set; } = "";
    public string? Image { get; set; }
    public string? ImagePullPolicy { get; set; }
    public IList<string>? Command { get; set; }
    public IList<string>? Args { get; set; }
    public string? WorkingDir { get; set; }
    public IList<V1EnvVar>? Env { get; set; }
    public IList<V1ContainerPort>? Ports { get; set; }
    public V1ResourceRequirements? Resources { get; set; }
    public IList<V1VolumeMount>? VolumeMounts { get; set; }
    public System.Text.Json.Nodes.JsonObject? SecurityContext { get; set; }
    public string? TerminationMessagePolicy { get; set; }
}
