namespace WasmKube.NodeAgent.Install;

/// <summary>Where and how to register the runtime handler on one node. Paths are host paths (without the host root).</summary>
/// <param name="ConfigPath">The file to edit or create.</param>
/// <param name="IsTemplate">A k3s/rke2 Go template: whole-line template actions are allowed.</param>
/// <param name="RenderedConfigPath">For templates, the config the distribution rendered last, which tells the version.</param>
/// <param name="IsDropIn">A file of our own that the distribution merges (k0s).</param>
/// <param name="RestartUnits">systemd units that reload the config, in order of preference.</param>
public sealed record ContainerdConfigTarget(
    ContainerdFlavor Flavor,
    string ConfigPath,
    bool IsTemplate,
    string? RenderedConfigPath,
    bool IsDropIn,
    IReadOnlyList<string> RestartUnits);
