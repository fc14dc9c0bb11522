namespace WasmKube.Wasi;

/// <summary>A host directory the guest may use, under the name it sees (e.g. "/docroot" or ".").</summary>
public sealed record WasiPreopen(string HostPath, string GuestPath, bool ReadOnly);
