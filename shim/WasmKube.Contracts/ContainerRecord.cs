namespace WasmKube.Contracts;

/// <summary>
/// What the shim publishes about a container for node agents, one JSON file per container
/// (<see cref="ContainerRecordLayout"/>): enough to find its cgroup, pod and process without scanning /proc.
/// </summary>
public sealed record ContainerRecord
{
    /// <summary>
    /// The format's version: raised with any change to the fields or their meaning (tests/WasmKube.Contracts.Tests
    /// checks). Files from before the field was written read as 0, which has version 1's shape.
    /// </summary>
    public const int CurrentVersion = 1;

    /// <summary>A container whose process runs a wasm module through an executor.</summary>
    public const string Wasm = "wasm";

    /// <summary>A container the shim hands to runc (a pod's pause container, a native sidecar).</summary>
    public const string Native = "native";

    public const string Created = "created";

    public const string Running = "running";

    public const string Stopped = "stopped";

    /// <summary>Status of a retired record: the task was deleted (its cgroup is gone), the record stays a few minutes so its exit is counted.</summary>
    public const string Deleted = "deleted";

    public int Version { get; init; } = CurrentVersion;

    public required string Id { get; init; }

    public required string Namespace { get; init; }

    /// <summary><see cref="Wasm"/> or <see cref="Native"/>.</summary>
    public required string Kind { get; init; }

    public required string Bundle { get; init; }

    /// <summary><see cref="Created"/>, <see cref="Running"/>, <see cref="Stopped"/> or <see cref="Deleted"/>.</summary>
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

    /// <summary>The WasmWorkload of the pod, from its <see cref="PodAnnotations.Workload"/> annotation.</summary>
    public string? Workload { get; init; }

    public DateTime CreatedAt { get; init; }

    /// <summary>Set once the container's process has exited (128 + signal when it was killed).</summary>
    public int? ExitStatus { get; init; }

    public DateTime? ExitedAt { get; init; }

    /// <summary>When the task was deleted (status <see cref="Deleted"/>).</summary>
    public DateTime? DeletedAt { get; init; }
}
