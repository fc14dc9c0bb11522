namespace WasmKube.NodeAgent.Containerd;

/// <summary>Who manages container cgroups on the node; kubelet and the runtimes must agree.</summary>
public enum CgroupDriver
{
    Cgroupfs,
    Systemd,
}
