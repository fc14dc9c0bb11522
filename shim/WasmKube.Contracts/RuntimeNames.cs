namespace WasmKube.Contracts;

/// <summary>The names by which Kubernetes and containerd find the shim; each is written by one component and read by another.</summary>
public static class RuntimeNames
{
    /// <summary>The RuntimeClass the node agent ensures and the operator puts in every pod it makes.</summary>
    public const string RuntimeClass = "wasmkube";

    /// <summary>The containerd runtime handler the RuntimeClass names, registered by the node agent by default.</summary>
    public const string DefaultHandler = "wasmkube";

    /// <summary>The runtime type containerd resolves to <see cref="ShimProgram"/> (containerd's runtime v2 naming).</summary>
    public const string RuntimeType = "io.containerd.wasmkube.v1";

    /// <summary>The shim's program, which containerd looks for on its PATH.</summary>
    public const string ShimProgram = "containerd-shim-wasmkube-v1";

    /// <summary>
    /// The node label the agent sets to "ready" once the handler is installed and verified ("failed" otherwise);
    /// the RuntimeClass's <c>scheduling.nodeSelector</c> selects it, so wasm pods land only on prepared nodes.
    /// </summary>
    public const string NodeLabel = "wasmkube.io/runtime";

    /// <summary><see cref="NodeLabel"/>'s value on a prepared node: the handler is installed and a probe ran through it.</summary>
    public const string NodeReady = "ready";

    /// <summary><see cref="NodeLabel"/>'s value on a node where installing or probing failed (the agent's Events say why).</summary>
    public const string NodeFailed = "failed";
}
