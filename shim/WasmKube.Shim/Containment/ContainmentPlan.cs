using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmKube.Shim.Containment;

/// <summary>
/// What <see cref="ContainerInit"/> must do to turn itself into a container process of the spec before it execs the
/// executor: written by the shim daemon (<see cref="ContainmentPlanner"/>), read by the init stage from
/// <see cref="ContainedSpawner.PlanFd"/>. Paths are host paths until <see cref="ContainmentPlan.Mounts"/> are done,
/// then paths in the container.
/// </summary>
internal sealed record ContainmentPlan
{
    /// <summary>cgroup.procs files to join before anything else, so all that follows is charged to the container.</summary>
    public IReadOnlyList<string> CgroupProcs { get; init; } = [];

    /// <summary>Namespaces to enter by path (type as in the OCI spec: network, ipc, uts, cgroup, mount).</summary>
    public IReadOnlyList<NamespaceJoin> Join { get; init; } = [];

    /// <summary>Namespaces to create (network, ipc, uts, cgroup, mount); the PID namespace is the spawner's business.</summary>
    public IReadOnlyList<string> Create { get; init; } = [];

    /// <summary>The container's rootfs on the host; null for an exec, which enters the init's mount namespace instead.</summary>
    public string? Rootfs { get; init; }

    public bool RootReadonly { get; init; }

    /// <summary>Device nodes in the image cannot be opened (hosts without a device cgroup to guard them: cgroup v2).</summary>
    public bool RootNodev { get; init; }

    /// <summary>Propagation of the container's mounts (MS_SLAVE | MS_REC unless the spec says otherwise).</summary>
    public ulong RootPropagation { get; init; }

    public IReadOnlyList<PlannedMount> Mounts { get; init; } = [];

    public IReadOnlyList<PlannedDevice> Devices { get; init; } = [];

    public IReadOnlyList<string> MaskedPaths { get; init; } = [];

    public IReadOnlyList<string> ReadonlyPaths { get; init; } = [];

    public string? Hostname { get; init; }

    public int? OomScoreAdj { get; init; }

    public IReadOnlyList<PlannedRlimit> Rlimits { get; init; } = [];

    public uint Uid { get; init; }

    public uint Gid { get; init; }

    public IReadOnlyList<uint> AdditionalGids { get; init; } = [];

    public uint? Umask { get; init; }

    public ulong CapBounding { get; init; }

    public ulong CapEffective { get; init; }

    public ulong CapPermitted { get; init; }

    public ulong CapInheritable { get; init; }

    public ulong CapAmbient { get; init; }

    public bool NoNewPrivileges { get; init; }

    public string? ApparmorProfile { get; init; }

    /// <summary>The spec's <c>linux.seccomp</c> as JSON; null for none.</summary>
    public string? Seccomp { get; init; }

    /// <summary>The executor as the container sees it, its argv and environment.</summary>
    public required string Executable { get; init; }

    public IReadOnlyList<string> Argv { get; init; } = [];

    public IReadOnlyList<string> Env { get; init; } = [];

    public static ContainmentPlan Read(Stream stream) =>
        JsonSerializer.Deserialize(stream, ContainmentJsonContext.Default.ContainmentPlan)
        ?? throw new InvalidDataException("the containment plan is empty");

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, ContainmentJsonContext.Default.ContainmentPlan));
}

internal sealed record NamespaceJoin(string Type, string Path);

/// <summary>One mount: a bind (with <see cref="Remount"/> flags such as read-only applied after it) or a filesystem.</summary>
internal sealed record PlannedMount(string Destination, string? Type, string Source, ulong Flags, ulong Propagation, string? Data, bool FileTarget, ulong Remount);

internal sealed record PlannedDevice(string Path, char Type, long Major, long Minor, uint Mode, uint Uid, uint Gid);

internal sealed record PlannedRlimit(int Resource, ulong Soft, ulong Hard);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ContainmentPlan))]
internal sealed partial class ContainmentJsonContext : JsonSerializerContext;
