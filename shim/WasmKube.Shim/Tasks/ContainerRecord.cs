namespace WasmKube.Shim.Tasks;

/// <summary>
/// What the shim publishes about a container for node agents (one JSON file per container, see shim/README.md):
/// enough to find its cgroup, pod and process without scanning /proc.
/// </summary>
public sealed record ContainerRecord
{
    public required string Id { get; init; }

    public required string Namespace { get; init; }

    public required string Kind { get; init; }

    public required string Bundle { get; init; }

    public required string Status { get; init; }

    public int Pid { get; init; }

    public int ShimPid { get; init; }

    public string? Module { get; init; }

    public required string CgroupPath { get; init; }

    public string? PodNamespace { get; init; }

    public string? PodName { get; init; }

    public string? PodUid { get; init; }

    public string? ContainerName { get; init; }

    public string? SandboxId { get; init; }

    /// <summary>The WasmWorkload of the pod, from its <c>wasmkube.io/workload</c> annotation.</summary>
    public string? Workload { get; init; }

    public DateTime CreatedAt { get; init; }

    public int? ExitStatus { get; init; }

    public DateTime? ExitedAt { get; init; }

    /// <summary>When the task was deleted (status <c>deleted</c>: the record is retired, see <see cref="ContainerRecordStore.Retire"/>).</summary>
    public DateTime? DeletedAt { get; init; }
}
