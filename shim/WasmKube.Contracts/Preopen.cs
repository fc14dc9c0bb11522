namespace WasmKube.Contracts;

/// <summary>A host directory visible to the guest at <see cref="GuestPath"/> (a WASI preopen).</summary>
public sealed record Preopen(string GuestPath, string HostPath, bool ReadOnly);
