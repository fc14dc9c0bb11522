using WasmKube.NodeAgent.Containerd;

namespace WasmKube.NodeAgent.Install;

/// <summary>What registering or removing the handler did.</summary>
/// <param name="Changed">Whether the config file was written.</param>
/// <param name="BackupPath">The copy of the user's file taken before the first change, if any.</param>
/// <param name="CgroupDriver">The node's cgroup driver as read from the config.</param>
public sealed record HandlerRegistration(bool Changed, string? BackupPath, CgroupDriver CgroupDriver);
