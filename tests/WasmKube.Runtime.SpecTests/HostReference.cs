namespace WasmKube.Runtime.SpecTests;

/// <summary>The host object behind the scripts' <c>ref.extern N</c>: one instance per N within a script, so identity holds.</summary>
internal sealed class HostReference(ulong id)
{
    public ulong Id { get; } = id;

    public override string ToString() => $"ref.extern {Id}";
}
