namespace WasmKube.NodeAgent.Metrics;

/// <summary>
/// The part of the shim's per-container record (shim/README.md, "Container records") that the agent reads: one JSON
/// file per container under the state directory, written atomically by the shim; a deleted task's record stays a few
/// minutes with status <see cref="Deleted"/> when it shows an exit, so that the exit is counted.
/// </summary>
public sealed record ContainerRecord
{
    /// <summary>The status of a record whose task was deleted (its cgroup is gone).</summary>
    public const string Deleted = "deleted";

    public required string Id { get; init; }

    public required string Namespace { get; init; }

    /// <summary>"wasm" or "native".</summary>
    public required string Kind { get; init; }

    /// <summary>"created", "running", "stopped" or <see cref="Deleted"/>.</summary>
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
