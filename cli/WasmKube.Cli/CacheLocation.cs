namespace WasmKube.Cli;

/// <summary>Where compiled modules are cached: --cache-dir, else $WASMKUBE_CACHE_DIR, else the XDG cache directory.</summary>
public static class CacheLocation
{
    public static string Default()
    {
        var explicitDirectory = Environment.GetEnvironmentVariable("WASMKUBE_CACHE_DIR");
        if (!string.IsNullOrEmpty(explicitDirectory)) return explicitDirectory;
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "wasmkube");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(string.IsNullOrEmpty(home) ? Path.GetTempPath() : home, ".cache", "wasmkube");
    }
}
