using System.Diagnostics;

namespace WasmKube.NodeAgent.Install;

/// <summary>
/// Runs programs of the host. In a DaemonSet pod (host root mounted elsewhere, hostPID) the command enters the
/// namespaces of the host's pid 1 through nsenter, so systemctl and containerd are the host's own. Run on the node
/// itself (or in tests) it starts programs directly, and host paths are found under <paramref name="hostRoot"/>.
/// </summary>
public sealed class HostCommands(string hostRoot, bool enterHostNamespaces)
{
    public string HostRoot { get; } = hostRoot;

    public bool EntersHost => enterHostNamespaces;

    /// <summary>How a program started by <see cref="RunAsync"/> names a host path.</summary>
    public string CommandPath(string hostPath) => EntersHost ? hostPath : NodeAgent.HostRoot.Resolve(HostRoot, hostPath);

    /// <summary>How this process names a host path.</summary>
    public string LocalPath(string hostPath) => NodeAgent.HostRoot.Resolve(HostRoot, hostPath);

    public async Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo
        {
            FileName = EntersHost ? "nsenter" : program,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (EntersHost)
        {
            foreach (var argument in (string[])["--target", "1", "--mount", "--uts", "--ipc", "--net", "--pid", "--", program]) start.ArgumentList.Add(argument);
        }

        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {start.FileName}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new CommandResult(127, "", $"{start.FileName}: {e.Message}");
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return new CommandResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
    }
}
