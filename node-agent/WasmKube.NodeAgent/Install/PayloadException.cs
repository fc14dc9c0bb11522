namespace WasmKube.NodeAgent.Install;

/// <summary>The node payload cannot be installed as it is (no manifest, wrong checksums, no version).</summary>
public sealed class PayloadException(string message) : Exception(message);
