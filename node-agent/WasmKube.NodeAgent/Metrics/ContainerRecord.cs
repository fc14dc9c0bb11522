namespace WasmKube.NodeAgent.Metrics;

/// <summary>
/// The part of the shim's per-container record (shim/README.md, "Container records") that the agent reads: one JSON
/// file per container under the state directory, written atomically by the shim and removed on delete.
/// </summary>
public sealed record ContainerRecord
{
    public required string Id { get; init; }

    public required string Namespace { get; init; }

    /// <summary>"wasm" or "native".</summary>
    public required string Kind { get; init; }

    public required string Status { get; init; }

    public required string CgroupPath { get; init; }

    public string? PodNamespace { get; init; }

    public string? PodName { get; init; }

    public string? ContainerName { get; init; }

    /// <summary>Set once the container's process has exited (128 + signal when it was killed).</summary>
    public int? ExitStatus { get; init; }

    /// <summary>The WasmWorkload the pod belongs to, from its <c>wasmkube.io/workload</c> annotation, when the shim saw one.</summary>
    public string? Workload { get; init; }
}
