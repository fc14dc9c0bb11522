using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using WasmKube.Testing.Cri;

namespace WasmKube.NodeAgent.Tests.EndToEnd;

/// <summary>
/// A containerd 1.6 of the test's own, configured like a fresh node (the output of <c>containerd config default</c>)
/// with its root, state and sockets moved into a temp directory. Stopped, with everything it started, on dispose.
/// </summary>
public sealed class PrivateContainerd : IAsyncDisposable
{
    private Process? _process;
    private CniTestNetwork? _network;

    private PrivateContainerd(string root) => Root = root;

    public string Root { get; }

    public string ConfigPath => Path.Combine(Root, "config.toml");

    public string Socket => Path.Combine(Root, "c.sock");

    /// <summary>Where the shim publishes container records (its WASMKUBE_STATE_DIR, inherited through containerd).</summary>
    public string StateDirectory => Path.Combine(Root, "records");

    /// <summary>The CRI pod log directory tests give their sandboxes.</summary>
    public string PodLogDirectory => Path.Combine(Root, "pod-logs");

    public static async Task<PrivateContainerd> CreateAsync()
    {
        var instance = new PrivateContainerd(Path.Combine("/tmp", "wka-" + Guid.NewGuid().ToString("N")[..10]));
        Directory.CreateDirectory(instance.Root);
        await File.WriteAllTextAsync(instance.ConfigPath, await instance.DefaultConfigAsync());
        return instance;
    }

    /// <summary>
    /// As <see cref="CreateAsync"/>, and ready for CRI pods without a registry or the node's network: its own pod
    /// network (a veth pair, see <see cref="CniTestNetwork"/>), the test sandbox image, and network namespaces under
    /// its state directory so that dispose unmounts them with everything else.
    /// </summary>
    public static async Task<PrivateContainerd> CreateForCriAsync()
    {
        var instance = new PrivateContainerd(Path.Combine("/tmp", "wka-" + Guid.NewGuid().ToString("N")[..10]));
        Directory.CreateDirectory(instance.Root);
        instance._network = await CniTestNetwork.CreateAsync(Path.Combine(instance.Root, "cni"), Path.GetFileName(instance.Root)[4..12]);
        var defaults = await instance.DefaultConfigAsync();
        var config = defaults
            .Replace("sandbox_image = \"registry.k8s.io/pause:3.6\"", $"sandbox_image = \"{SandboxImage.Reference}\"", StringComparison.Ordinal)
            .Replace("bin_dir = \"/opt/cni/bin\"", $"bin_dir = \"{CniTestNetwork.PluginDirectory}\"", StringComparison.Ordinal)
            .Replace("conf_dir = \"/etc/cni/net.d\"", $"conf_dir = \"{instance._network.ConfDirectory}\"", StringComparison.Ordinal)
            .Replace("netns_mounts_under_state_dir = false", "netns_mounts_under_state_dir = true", StringComparison.Ordinal);
        foreach (var setting in new[] { SandboxImage.Reference, instance._network.ConfDirectory, CniTestNetwork.PluginDirectory, "netns_mounts_under_state_dir = true" })
        {
            Assert.True(config.Contains(setting, StringComparison.Ordinal), $"containerd config default changed: could not set {setting}");
        }

        await File.WriteAllTextAsync(instance.ConfigPath, config);
        return instance;
    }

    /// <summary>Imports the sandbox image named in a <see cref="CreateForCriAsync"/> config into the CRI namespace.</summary>
    public async Task ImportSandboxImageAsync()
    {
        var archive = Path.Combine(Root, "images", "sandbox.tar");
        await SandboxImage.WriteArchiveAsync(archive);
        var import = await CtrAsync($"--namespace k8s.io image import {archive}");
        Assert.True(import.ExitCode == 0, import.Output);
    }

    private async Task<string> DefaultConfigAsync()
    {
        var defaults = await RunAsync("containerd", "config default");
        var config = defaults
            .Replace("root = \"/var/lib/containerd\"", $"root = \"{Root}/root\"", StringComparison.Ordinal)
            .Replace("state = \"/run/containerd\"", $"state = \"{Root}/state\"", StringComparison.Ordinal)
            .Replace("address = \"/run/containerd/containerd.sock\"", $"address = \"{Socket}\"", StringComparison.Ordinal);
        Assert.NotEqual(defaults, config);
        return config;
    }

    /// <summary>After <see cref="StartAsNodeAsync"/>: a program that restarts containerd, as a node's service manager would.</summary>
    public string RestartCommand => Path.Combine(Root, "restart-containerd");

    public Task StartAsync() => StartAsync("containerd", "--config", ConfigPath);

    /// <summary>
    /// Starts containerd as a node without systemd runs it: under an init of its own (pid 1 of a new PID namespace, a
    /// shell loop that starts containerd again whenever it exits), so that a pod sharing that PID namespace sees the
    /// init as its host's pid 1, and <see cref="RestartCommand"/>, run in those namespaces, restarts containerd. The
    /// node has a mount namespace of its own (for its /proc), copied from the test's at start: mount what the node
    /// must see before.
    /// </summary>
    public async Task StartAsNodeAsync()
    {
        var init = Path.Combine(Root, "init");
        await File.WriteAllTextAsync(init, $"""
            #!/bin/sh
            while :; do
              containerd --config {ConfigPath} >>{Root}/containerd.log 2>&1 &
              echo $! > {Root}/containerd.pid
              wait $!
            done

            """);
        await File.WriteAllTextAsync(RestartCommand, $"#!/bin/sh\nkill $(cat {Root}/containerd.pid)\n");
        File.SetUnixFileMode(RestartCommand, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // --kill-child: when unshare is killed its child, the init, gets SIGKILL, which ends every process of the namespace.
        await StartAsync("unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "sh", init);
    }

    private async Task StartAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        // Not the test's output folder: containerd must find shims the way a node's containerd does, not beside the tests.
        start.WorkingDirectory = Root;
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["WASMKUBE_STATE_DIR"] = StateDirectory;
        start.Environment["WASMKUBE_CACHE_DIR"] = Path.Combine(Root, "cache");
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await TryRunAsync("ctr", $"--address {Socket} version")).ExitCode != 0)
        {
            Assert.False(_process.HasExited, "containerd exited at start");
            Assert.True(DateTime.UtcNow < deadline, "containerd did not answer within 60 s");
            await Task.Delay(200);
        }
    }

    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process) return;
        process.Kill();
        await process.WaitForExitAsync();
    }

    public Task<(int ExitCode, string Output)> CtrAsync(string arguments) => TryRunAsync("ctr", $"--address {Socket} {arguments}");

    public async ValueTask DisposeAsync()
    {
        // Tasks first (their shims outlive containerd), then containerd, then mounts and files.
        foreach (var ns in _process is { HasExited: false } ? new[] { "default", "k8s.io" } : [])
        {
            var tasks = await CtrAsync($"--namespace {ns} task ls -q");
            foreach (var id in tasks.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                await CtrAsync($"--namespace {ns} task kill --signal SIGKILL {id}");
                for (var i = 0; i < 50 && (await CtrAsync($"--namespace {ns} task delete {id}")).ExitCode != 0; i++) await Task.Delay(100);
                await CtrAsync($"--namespace {ns} container delete {id}");
            }
        }

        await StopAsync();
        _process?.Dispose();
        await TryRunAsync("sh", $"-c \"grep ' {Root}' /proc/self/mounts | cut -d' ' -f2 | sort -r | xargs -r -n1 umount -l\"");
        if (_network is not null) await _network.DisposeAsync();
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        // The shim keeps runc's state for the pods it runs under runc per containerd address (ShimPaths.RuncRoot).
        var runcRoot = Path.Combine("/run/wasmkube/runc", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Socket)))[..12]);
        if (Directory.Exists(runcRoot)) Directory.Delete(runcRoot, recursive: true);
    }

    private static async Task<string> RunAsync(string program, string arguments)
    {
        var (code, output) = await TryRunAsync(program, arguments);
        Assert.True(code == 0, $"{program} {arguments}: {output}");
        return output;
    }

    private static async Task<(int ExitCode, string Output)> TryRunAsync(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
