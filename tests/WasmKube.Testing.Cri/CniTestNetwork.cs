using System.Diagnostics;

namespace WasmKube.Testing.Cri;

/// <summary>
/// The pod network of a private containerd. CRI needs an eth0 with an address in every pod: a veth pair made for
/// one containerd, whose pod end the host-device plugin moves into the pod and whose host end stays down, keeps all
/// traffic inside the pod. The host end (and with it the pair) is deleted on dispose.
/// </summary>
public sealed class CniTestNetwork : IAsyncDisposable
{
    /// <summary>Where Debian's containernetworking-plugins package installs host-device and static.</summary>
    public const string PluginDirectory = "/usr/lib/cni";

    private CniTestNetwork(string confDirectory, string tag)
    {
        ConfDirectory = confDirectory;
        PodDevice = "wk" + tag + "p";
        HostDevice = "wk" + tag + "h";
    }

    public string ConfDirectory { get; }

    public string PodDevice { get; }

    public string HostDevice { get; }

    /// <summary>Creates the veth pair and writes the network list into <paramref name="confDirectory"/>.</summary>
    /// <param name="tag">Up to 12 characters that make the device names unique on the host (interface names end at 15).</param>
    public static async Task<CniTestNetwork> CreateAsync(string confDirectory, string tag)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tag.Length, 12);
        var network = new CniTestNetwork(confDirectory, tag);
        Directory.CreateDirectory(confDirectory);
        await RunAsync("ip", "link", "add", network.PodDevice, "type", "veth", "peer", "name", network.HostDevice);
        await File.WriteAllTextAsync(Path.Combine(confDirectory, "10-wasmkube-test.conflist"), $$$"""
            {"cniVersion": "0.4.0", "name": "wasmkube-test", "plugins": [
              {"type": "host-device", "device": "{{{network.PodDevice}}}", "ipam": {"type": "static", "addresses": [{"address": "10.254.99.2/24"}]}}]}
            """);
        return network;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync("ip", "link", "del", HostDevice);
        }
        catch (InvalidOperationException)
        {
            // The pair is already gone with the pod's network namespace.
        }
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed with exit {process.ExitCode}: {await stdout}{await stderr}");
        }
    }
}
