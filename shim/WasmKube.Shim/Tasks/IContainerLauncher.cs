using WasmKube.Shim.Cgroups;
using WasmKube.Shim.Oci;
using WasmKube.Shim.Runc;

namespace WasmKube.Shim.Tasks;

/// <summary>
/// What depends on what a container runs. <see cref="TaskService"/> knows containerd's task API, containers and
/// processes; a launcher makes a container's processes and owns what they need beyond that: the wasm launcher runs
/// executors in a cgroup and namespaces it sets up itself, the native one hands everything to runc.
/// </summary>
internal interface IContainerLauncher
{
    /// <summary>The container kind in the container record (<see cref="Contracts.ContainerRecord.Wasm"/> or <see cref="Contracts.ContainerRecord.Native"/>).</summary>
    string Kind { get; }

    /// <summary>The container's init process, not yet created; a bad spec fails with a <see cref="Ttrpc.TtrpcException"/>.</summary>
    ShimProcess CreateInit(string id, string bundle, OciSpec spec, string rootfs, Entrypoint entrypoint, ContainerCgroup cgroup, Stdio stdio);

    /// <summary>A process to exec in the running container, not yet created; <paramref name="processJson"/> is the spec it was parsed from.</summary>
    ShimProcess CreateExec(Container container, string execId, OciProcess process, string processJson, Stdio stdio);

    /// <summary>The init process exited.</summary>
    void InitExited(Container container);

    /// <summary>The container is deleted, or its init process could not be created: release what <see cref="CreateInit"/> set up.</summary>
    void Release(ContainerCgroup cgroup);
}
