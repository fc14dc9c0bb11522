using WasmKube.Shim.Containment;

namespace WasmKube.Shim.Tasks;

/// <summary>
/// How an executor is placed: contained (<see cref="Contained"/>: the spec's namespaces, mounts, user and privileges,
/// as runc would) or, when the shim runs with WASMKUBE_CONTAINMENT=off for measurements, only in the cgroup
/// (<see cref="CgroupProcsFiles"/>) and the namespaces <see cref="NamespaceCommand"/> enters.
/// </summary>
internal sealed record WasmLaunch(string ExecutorPath, IReadOnlyList<string> NamespaceCommand, IReadOnlyList<string> CgroupProcsFiles, ContainedStart? Contained = null);

/// <summary>The containment of one executor: its plan, PID namespace and the container's rootfs on the host.</summary>
internal sealed record ContainedStart(ContainmentPlan Plan, PidNamespace Pid, string Rootfs);
