namespace WasmKube.NodeAgent.Metrics;

/// <summary>Reads a container's cgroup statistics from its OCI <c>linux.cgroupsPath</c>; null when the cgroup is gone.</summary>
public interface ICgroupStatsSource
{
    CgroupStats? Read(string cgroupPath);
}
