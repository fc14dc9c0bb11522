namespace WasmKube.Shim.Runc;

/// <summary>A process's stdio as containerd hands it over: FIFO paths (or empty for none).</summary>
public sealed record Stdio(string Stdin, string Stdout, string Stderr, bool Terminal)
{
    public static readonly Stdio None = new("", "", "", false);
}
