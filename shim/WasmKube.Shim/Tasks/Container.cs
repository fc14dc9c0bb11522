using System.Collections.Concurrent;
using WasmKube.Contracts;
using WasmKube.Shim.Cgroups;
using WasmKube.Shim.Oci;
using WasmKube.Shim.Ttrpc;

namespace WasmKube.Shim.Tasks;

/// <summary>A task: its bundle, spec, cgroup, the launcher of its processes, its init process and execs.</summary>
internal sealed class Container
{
    public required string Id { get; init; }

    public required string Bundle { get; init; }

    public required OciSpec Spec { get; init; }

    public required string Rootfs { get; init; }

    public required bool RootfsMounted { get; init; }

    public required Entrypoint Entrypoint { get; init; }

    public required ContainerCgroup Cgroup { get; init; }

    public required IContainerLauncher Launcher { get; init; }

    public required ShimProcess Init { get; init; }

    public DateTime CreatedAt { get; } = DateTime.UtcNow;

    /// <summary>OOM kills already counted in the cgroup when the task was created (it may be shared or reused).</summary>
    public long OomKillBaseline { get; set; }

    public ConcurrentDictionary<string, ShimProcess> Execs { get; } = new();

    public ShimProcess Process(string execId)
    {
        if (string.IsNullOrEmpty(execId))
        {
            return Init;
        }

        return Execs.TryGetValue(execId, out var process) ? process : throw TtrpcException.NotFound($"exec {execId} of task {Id}");
    }

    /// <summary>What the shim publishes about the container for node agents, as of now.</summary>
    public ContainerRecord Record(string ns)
    {
        var stopped = Init.State == ProcessState.Stopped;
        return new ContainerRecord
        {
            Id = Id,
            Namespace = ns,
            Kind = Launcher.Kind,
            Bundle = Bundle,
            Status = Init.State switch
            {
                ProcessState.Created => ContainerRecord.Created,
                ProcessState.Running => ContainerRecord.Running,
                _ => ContainerRecord.Stopped,
            },
            Pid = Init.Pid,
            ShimPid = Environment.ProcessId,
            Module = Entrypoint.IsNative ? null : Entrypoint.HostPath,
            CgroupPath = "/" + Cgroup.RelativePath,
            PodNamespace = Spec.Annotations.GetValueOrDefault("io.kubernetes.cri.sandbox-namespace"),
            PodName = Spec.Annotations.GetValueOrDefault("io.kubernetes.cri.sandbox-name"),
            PodUid = Spec.Annotations.GetValueOrDefault("io.kubernetes.cri.sandbox-uid"),
            ContainerName = Spec.Annotations.GetValueOrDefault("io.kubernetes.cri.container-name"),
            SandboxId = Spec.Annotations.GetValueOrDefault(OciSpec.SandboxIdAnnotation),
            Workload = Spec.Annotations.GetValueOrDefault(PodAnnotations.Workload),
            CreatedAt = CreatedAt,
            ExitStatus = stopped ? Init.ExitStatus : null,
            ExitedAt = stopped ? Init.ExitedAt : null,
        };
    }
}
