namespace WasmKube.Shim.Oci;

public sealed record OciMount(string Destination, string Type, string Source, IReadOnlyList<string> Options)
{
    public bool IsBind => Type == "bind" || Options.Contains("bind") || Options.Contains("rbind");

    public bool ReadOnly => Options.Contains("ro");
}
