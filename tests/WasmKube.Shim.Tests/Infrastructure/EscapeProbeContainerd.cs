namespace WasmKube.Shim.Tests.Infrastructure;

/// <summary>
/// A private containerd whose shim runs the test-only escape probe (Containment/escape-probe.c, a static native
/// program) in place of the wasmkube engine's executor, so the probe is contained exactly as an executor is. The
/// Wasmtime executor stays the real one.
/// </summary>
public sealed class EscapeProbeContainerd : ContainerdInstance
{
    /// <summary>The engine annotation value that starts the probe.</summary>
    public const string ProbeEngine = "wasmkube";

    private static readonly Lazy<string> Probe = new(BuildProbe);

    protected override IReadOnlyDictionary<string, string> Executors => new Dictionary<string, string>
    {
        ["WASMKUBE_EXECUTOR"] = Program("wasmkube-executor"),
        ["WASMKUBE_EXECUTOR_CIL"] = Probe.Value,
    };

    private static string BuildProbe()
    {
        var directory = Directory.CreateTempSubdirectory("wasmkube-escape-probe-").FullName;
        var output = Path.Combine(directory, "escape-probe");
        var source = Path.Combine(AppContext.BaseDirectory, "Containment", "escape-probe.c");
        var result = Commands.RunAsync("clang", ["-static", "-O2", "-o", output, source], TimeSpan.FromMinutes(2)).GetAwaiter().GetResult();
        return result.ExitCode == 0 ? output : throw new InvalidOperationException($"cannot build the escape probe: {result}");
    }
}
