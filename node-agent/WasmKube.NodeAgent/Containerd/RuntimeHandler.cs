namespace WasmKube.NodeAgent.Containerd;

/// <summary>A CRI runtime handler entry: what a RuntimeClass's <c>handler</c> selects in containerd's config.</summary>
/// <param name="Name">The handler name, e.g. <c>wasmkube</c>.</param>
/// <param name="RuntimeType">The runtime v2 shim name, e.g. <c>io.containerd.wasmkube.v1</c>.</param>
/// <param name="RuntimePath">Absolute path of the shim binary, so it need not be on containerd's PATH.</param>
/// <param name="PodAnnotations">Pod annotations the CRI plugin passes on to the shim in the OCI spec.</param>
public sealed record RuntimeHandler(
    string Name,
    string RuntimeType,
    string RuntimePath,
    IReadOnlyList<string> PodAnnotations);
