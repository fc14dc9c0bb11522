namespace WasmKube.Shim.Tasks;

/// <summary>How an executor is placed: the command prefix entering namespaces, and the cgroup.procs files it joins.</summary>
public sealed record WasmLaunch(string ExecutorPath, IReadOnlyList<string> NamespaceCommand, IReadOnlyList<string> CgroupProcsFiles);
