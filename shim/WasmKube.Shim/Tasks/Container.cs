using System.Collections.Concurrent;
using WasmKube.Shim.Cgroups;
using WasmKube.Shim.Oci;
using WasmKube.Shim.Ttrpc;

namespace WasmKube.Shim.Tasks;

/// <summary>A task: its bundle, spec, cgroup, init process and execs.</summary>
public sealed class Container
{
    public required string Id { get; init; }

    public required string Bundle { get; init; }

    public required OciSpec Spec { get; init; }

    public required string Rootfs { get; init; }

    public required bool RootfsMounted { get; init; }

    public required Entrypoint Entrypoint { get; init; }

    public required ContainerCgroup Cgroup { get; init; }

    public required ShimProcess Init { get; init; }

    public bool IsWasm => !Entrypoint.IsNative;

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
}
