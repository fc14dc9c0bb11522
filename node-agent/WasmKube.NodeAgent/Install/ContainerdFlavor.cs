namespace WasmKube.NodeAgent.Install;

/// <summary>How containerd is packaged on the node, which decides where its config lives and how it is restarted.</summary>
public enum ContainerdFlavor
{
    /// <summary>containerd's own package or binaries: /etc/containerd/config.toml, unit containerd.</summary>
    Plain,

    /// <summary>k3s renders config.toml from config.toml.tmpl at start; the template is what we edit.</summary>
    K3s,

    /// <summary>rke2, which works like k3s.</summary>
    Rke2,

    /// <summary>MicroK8s keeps a config template under the snap's data directory.</summary>
    MicroK8s,

    /// <summary>k0s merges drop-in files from /etc/k0s/containerd.d into its containerd config.</summary>
    K0s,
}
