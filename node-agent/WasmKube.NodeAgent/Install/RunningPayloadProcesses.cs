namespace WasmKube.NodeAgent.Install;

/// <summary>
/// A version is in use while a process of the node runs a program from its folder: a shim of a running pod or an
/// executor it started (and, through the shim, will start again for the pod's next container). The agent runs with
/// the host's PID namespace, so <c>/proc</c> lists the node's processes; their executables read as host paths.
/// </summary>
public sealed class RunningPayloadProcesses(string hostInstallRoot, string procRoot = "/proc") : IPayloadUsage
{
    public bool IsInUse(string version)
    {
        var prefix = Path.Join(hostInstallRoot, version) + "/";
        foreach (var process in Directory.EnumerateDirectories(procRoot))
        {
            if (!int.TryParse(Path.GetFileName(process), out _)) continue;
            try
            {
                // A deleted executable reads as "PATH (deleted)", which still starts with its folder.
                if (new FileInfo(Path.Combine(process, "exe")).LinkTarget is { } exe && exe.StartsWith(prefix, StringComparison.Ordinal)) return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Kernel threads have no executable; a process may exit while it is looked at.
            }
        }

        return false;
    }
}
