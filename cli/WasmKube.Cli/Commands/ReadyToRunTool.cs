namespace WasmKube.Cli.Commands;

/// <summary>
/// Finds crossgen2 for <c>wasmkube compile</c>: <c>$WASMKUBE_CROSSGEN2</c> (empty turns ReadyToRun off), else the copy
/// build.sh ships beside the wasmkube executable.
/// </summary>
public static class ReadyToRunTool
{
    public const string Variable = "WASMKUBE_CROSSGEN2";

    public static string BundledPath => Path.Combine(AppContext.BaseDirectory, "crossgen2", "crossgen2");

    public static string? Locate()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        if (configured is not null) return configured.Length == 0 ? null : Path.GetFullPath(configured);
        return File.Exists(BundledPath) ? BundledPath : null;
    }
}
