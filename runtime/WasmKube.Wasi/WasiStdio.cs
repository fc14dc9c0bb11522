namespace WasmKube.Wasi;

/// <summary>Where one of the guest's stdio streams comes from or goes to.</summary>
public abstract record WasiStdio
{
    private WasiStdio()
    {
    }

    /// <summary>The host process's own stream (fd 0, 1 or 2), shared, never closed by the guest.</summary>
    public static WasiStdio Inherit { get; } = new InheritedStdio();

    /// <summary>Nothing: reads see end of file, writes are discarded.</summary>
    public static WasiStdio Null { get; } = new PathStdio("/dev/null", Append: false);

    /// <summary>
    /// A host file or FIFO (such as the stdio FIFOs containerd hands a shim). Output files are created if missing and
    /// appended to; opening a FIFO waits for its other end, as open(2) does.
    /// </summary>
    public static WasiStdio File(string path, bool append = true) => new PathStdio(path, append);

    /// <summary>A .NET stream: in-memory input, or captured output. The caller keeps ownership.</summary>
    public static WasiStdio Stream(System.IO.Stream stream) => new StreamStdio(stream);

    internal sealed record InheritedStdio : WasiStdio;

    internal sealed record PathStdio(string Path, bool Append) : WasiStdio;

    internal sealed record StreamStdio(System.IO.Stream Target) : WasiStdio;
}
