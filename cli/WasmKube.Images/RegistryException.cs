namespace WasmKube.Images;

/// <summary>A registry could not be reached or refused a request; the message names the registry and what to do.</summary>
public sealed class RegistryException(string message, Exception? inner = null) : Exception(message, inner);
