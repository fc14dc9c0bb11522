using System.Net.Sockets;

namespace WasmKube.NodeAgent.Install;

/// <summary>Restarts the node's containerd after a config change, waits until it serves, and runs a probe task.</summary>
public sealed class ContainerdService(HostCommands host, IReadOnlyList<string>? restartCommand = null)
{
    public const string ProbeOutput = "wasmkube-probe-ok";

    /// <summary>Runs the configured restart command, else restarts the first of the target's systemd units that exists on the host.</summary>
    public async Task RestartAsync(ContainerdConfigTarget target, CancellationToken cancellationToken)
    {
        if (restartCommand is { Count: > 0 })
        {
            var result = await host.RunAsync(restartCommand[0], [.. restartCommand.Skip(1)], cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
                throw new InvalidOperationException($"the restart command {string.Join(' ', restartCommand)} exited with {result.ExitCode}: {(result.Stderr + result.Stdout).Trim()}");
            return;
        }

        if (!Directory.Exists(host.LocalPath("/run/systemd/system")))
        {
            throw new InvalidOperationException(
                "the host does not run systemd, so the agent cannot restart containerd safely; pass --restart-command or restart containerd yourself to load the runtime handler");
        }

        foreach (var unit in target.RestartUnits)
        {
            var exists = await host.RunAsync("systemctl", ["cat", unit], cancellationToken).ConfigureAwait(false);
            if (!exists.Succeeded) continue;
            var restart = await host.RunAsync("systemctl", ["restart", unit], cancellationToken).ConfigureAwait(false);
            if (!restart.Succeeded) throw new InvalidOperationException($"systemctl restart {unit} failed: {restart.Stderr.Trim()}");
            return;
        }

        throw new InvalidOperationException($"none of the systemd units {string.Join(", ", target.RestartUnits)} exists; restart containerd yourself");
    }

    /// <summary>Waits until containerd accepts connections on its socket and answers a version request.</summary>
    public async Task WaitReadyAsync(string socketPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        string? lastError = null;
        while (true)
        {
            try
            {
                using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(host.LocalPath(socketPath)), deadline.Token).ConfigureAwait(false);
                }

                var version = await host.RunAsync("ctr", ["--address", host.CommandPath(socketPath), "version"], deadline.Token).ConfigureAwait(false);
                if (version.Succeeded) return;
                lastError = version.Stderr.Trim();
            }
            catch (SocketException e)
            {
                lastError = e.Message;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"containerd did not answer on {socketPath} within {timeout.TotalSeconds:0} s ({lastError})");
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"containerd did not answer on {socketPath} within {timeout.TotalSeconds:0} s ({lastError})");
            }
        }
    }

    /// <summary>
    /// Runs the probe module as a task with the given runtime (name or shim path) in a namespace of its own, from a
    /// plain rootfs directory, so no image pull is needed. Returns null on success, else what went wrong.
    /// </summary>
    public async Task<string?> ProbeAsync(string socketPath, string runtime, string probeDirectory, CancellationToken cancellationToken)
    {
        var rootfs = Path.Combine(probeDirectory, "rootfs");
        var local = host.LocalPath(rootfs);
        Directory.CreateDirectory(local);
        await using (var module = typeof(ContainerdService).Assembly.GetManifestResourceStream("probe.wasm")
            ?? throw new InvalidOperationException("the probe module is missing from the agent"))
        await using (var file = File.Create(Path.Combine(local, "probe.wasm")))
        {
            await module.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }

        var id = $"wasmkube-probe-{Guid.NewGuid():N}"[..24];
        var result = await host.RunAsync(
            "ctr",
            ["--address", host.CommandPath(socketPath), "--namespace", "wasmkube-system", "run", "--rm", "--runtime", runtime, "--rootfs", rootfs, id, "/probe.wasm"],
            cancellationToken).ConfigureAwait(false);
        if (result.Succeeded && result.Stdout.Contains(ProbeOutput, StringComparison.Ordinal)) return null;
        return $"the probe task exited with {result.ExitCode}: {(result.Stderr + result.Stdout).Trim()}";
    }
}
