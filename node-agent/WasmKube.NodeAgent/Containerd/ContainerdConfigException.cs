namespace WasmKube.NodeAgent.Containerd;

/// <summary>The containerd config cannot be edited safely; the message says why and what to do.</summary>
public sealed class ContainerdConfigException(string message, Exception? inner = null) : Exception(message, inner);
