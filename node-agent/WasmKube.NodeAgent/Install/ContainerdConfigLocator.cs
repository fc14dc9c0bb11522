namespace WasmKube.NodeAgent.Install;

/// <summary>
/// Finds the containerd config of a node where common distributions keep it. An explicit path always wins.
/// Sources: k3s and rke2 docs "Configuring containerd" (config.toml.tmpl, <c>{{ template "base" . }}</c>), MicroK8s
/// docs (args/containerd-template.toml), k0s docs "Runtime" (/etc/k0s/containerd.d/*.toml are merged by k0s).
/// </summary>
public static class ContainerdConfigLocator
{
    public static ContainerdConfigTarget Locate(string hostRoot, string? explicitPath = null)
    {
        if (explicitPath is not null)
            return new(ContainerdFlavor.Plain, explicitPath, explicitPath.EndsWith(".tmpl", StringComparison.Ordinal), null, false, ["containerd"]);

        bool Exists(string path) => File.Exists(HostRoot.Resolve(hostRoot, path)) || Directory.Exists(HostRoot.Resolve(hostRoot, path));

        foreach (var (flavor, dir, units) in new[]
        {
            (ContainerdFlavor.K3s, "/var/lib/rancher/k3s/agent/etc/containerd", new[] { "k3s", "k3s-agent" }),
            (ContainerdFlavor.Rke2, "/var/lib/rancher/rke2/agent/etc/containerd", new[] { "rke2-server", "rke2-agent" }),
        })
        {
            if (Exists($"{dir}/config.toml") || Exists($"{dir}/config.toml.tmpl"))
                return new(flavor, $"{dir}/config.toml.tmpl", true, $"{dir}/config.toml", false, units);
        }

        const string microk8s = "/var/snap/microk8s/current/args/containerd-template.toml";
        if (Exists(microk8s)) return new(ContainerdFlavor.MicroK8s, microk8s, false, null, false, ["snap.microk8s.daemon-containerd"]);

        if (Exists("/etc/k0s/containerd.d"))
            return new(ContainerdFlavor.K0s, "/etc/k0s/containerd.d/wasmkube.toml", false, null, true, ["k0sworker", "k0scontroller"]);

        return new(ContainerdFlavor.Plain, "/etc/containerd/config.toml", false, null, false, ["containerd"]);
    }
}
