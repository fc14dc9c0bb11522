namespace WasmKube.Shim.Contract;

/// <summary>A host directory visible to the guest at <see cref="GuestPath"/> (a WASI preopen).</summary>
internal sealed record Preopen(string GuestPath, string HostPath, bool ReadOnly);
