namespace WasmKube.Operator.Entities;

/// <summary>A port the guest listens on (a preopened socket); exposed through the workload's Service.</summary>
public sealed class WasmWorkloadPort
{
    public string? Name { get; set; }
    public required int ContainerPort { get; set; }
    public string? Protocol { get; set; }

    /// <summary>Port of the Service; the container port when absent.</summary>
    public int? ServicePort { get; set; }
}
