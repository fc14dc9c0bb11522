using System.Diagnostics;

namespace WasmKube.NodeAgent.Tests.EndToEnd;

/// <summary>
/// A containerd 1.6 of the test's own, configured like a fresh node (the output of <c>containerd config default</c>)
/// with its root, state and sockets moved into a temp directory. Stopped, with everything it started, on dispose.
/// </summary>
public sealed class PrivateContainerd : IAsyncDisposable
{
    private Process? _process;

    private PrivateContainerd(string root) => Root = root;

    public string Root { get; }

    public string ConfigPath => Path.Combine(Root, "config.toml");

    public string Socket => Path.Combine(Root, "c.sock");

    /// <summary>Where the shim publishes container records (its WASMKUBE_STATE_DIR, inherited through containerd).</summary>
    public string StateDirectory => Path.Combine(Root, "records");

    public static async Task<PrivateContainerd> CreateAsync()
    {
        var instance = new PrivateContainerd(Path.Combine("/tmp", "wka-" + Guid.NewGuid().ToString("N")[..10]));
        Directory.CreateDirectory(instance.Root);
        var defaults = await RunAsync("containerd", "config default");
        var config = defaults
            .Replace("root = \"/var/lib/containerd\"", $"root = \"{instance.Root}/root\"", StringComparison.Ordinal)
            .Replace("state = \"/run/containerd\"", $"state = \"{instance.Root}/state\"", StringComparison.Ordinal)
            .Replace("address = \"/run/containerd/containerd.sock\"", $"address = \"{instance.Socket}\"", StringComparison.Ordinal);
        Assert.NotEqual(defaults, config);
        await File.WriteAllTextAsync(instance.ConfigPath, config);
        return instance;
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("containerd") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(ConfigPath);
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
        if (_process is { HasExited: false })
        {
            var tasks = await CtrAsync("--namespace default task ls -q");
            foreach (var id in tasks.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                await CtrAsync($"--namespace default task kill --signal SIGKILL {id}");
                for (var i = 0; i < 50 && (await CtrAsync($"--namespace default task delete {id}")).ExitCode != 0; i++) await Task.Delay(100);
                await CtrAsync($"--namespace default container delete {id}");
            }
        }

        await StopAsync();
        _process?.Dispose();
        await TryRunAsync("sh", $"-c \"grep ' {Root}' /proc/self/mounts | cut -d' ' -f2 | sort -r | xargs -r -n1 umount -l\"");
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
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
