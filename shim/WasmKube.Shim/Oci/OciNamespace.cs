namespace WasmKube.Shim.Oci;

/// <summary>A linux namespace of the spec: join <see cref="Path"/> when given, else create a new one.</summary>
public sealed record OciNamespace(string Type, string? Path);
