namespace WasmKube.NodeAgent;

/// <summary>The node's file system as the agent sees it: in its pod, the host's root is mounted at <c>--host-root</c> (/host).</summary>
public static class HostRoot
{
    /// <summary>Where the agent finds the host's <paramref name="hostPath"/> when the host's root is at <paramref name="hostRoot"/>.</summary>
    public static string Resolve(string hostRoot, string hostPath) =>
        hostRoot is "" or "/" ? hostPath : Path.Join(hostRoot, hostPath);
}
