using WasmKube.Contracts;
using WasmKube.Shim.Cgroups;
using WasmKube.Shim.Oci;
using WasmKube.Shim.Runc;

namespace WasmKube.Shim.Tasks;

/// <summary>Native programs (a pod's pause container, native sidecars) run through the node's runc, which owns their cgroup and namespaces.</summary>
internal sealed class NativeContainerLauncher(RuncRunner runc) : IContainerLauncher
{
    public string Kind => ContainerRecord.Native;

    public ShimProcess CreateInit(string id, string bundle, OciSpec spec, string rootfs, Entrypoint entrypoint, ContainerCgroup cgroup, Stdio stdio) =>
        new NativeInitProcess(runc, id, bundle, stdio);

    public ShimProcess CreateExec(Container container, string execId, OciProcess process, string processJson, Stdio stdio) =>
        new NativeExecProcess(runc, container.Id, container.Bundle, execId, processJson, stdio);

    /// <summary>Nothing to do: the init was the PID namespace's init, so the kernel ended the rest.</summary>
    public void InitExited(Container container)
    {
    }

    public void Release(ContainerCgroup cgroup)
    {
    }
}
