namespace WasmKube.Contracts;

/// <summary>
/// Where container records live: <c>DIR/NAMESPACE/ID.json</c> (the containerd namespace) and nothing deeper, with the
/// engine statistics at <c>DIR/NAMESPACE/ID.engine.json</c>. The shim writes both atomically (a temporary file
/// renamed over the old one); node agents only read.
/// </summary>
public sealed class ContainerRecordLayout(string directory)
{
    /// <summary>The directory when none is configured.</summary>
    public const string DefaultDirectory = "/run/wasmkube/containers";

    /// <summary>The shim's environment variable naming another directory (set in containerd's runtime options).</summary>
    public const string DirectoryVariable = "WASMKUBE_STATE_DIR";

    public const string RecordSuffix = ".json";

    public const string EngineStatsSuffix = ".engine.json";

    /// <summary>The most a record or statistics file may hold; anything longer is not ours.</summary>
    public const int MaxFileBytes = 64 * 1024;

    public string Directory { get; } = directory;

    public string RecordPath(string ns, string id) => Path.Combine(Directory, ns, id + RecordSuffix);

    public string EngineStatsPath(string ns, string id) => Path.Combine(Directory, ns, id + EngineStatsSuffix);

    /// <summary>The container id of a record file's name, or null for any other file (statistics, temporary files).</summary>
    public static string? IdOfRecordFile(string path)
    {
        var name = Path.GetFileName(path);
        if (!name.EndsWith(RecordSuffix, StringComparison.Ordinal) || name.EndsWith(EngineStatsSuffix, StringComparison.Ordinal)) return null;
        return name[..^RecordSuffix.Length];
    }
}
