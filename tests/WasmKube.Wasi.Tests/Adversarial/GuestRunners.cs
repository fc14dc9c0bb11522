using System.Collections.Concurrent;
using WasmKube.Guest;
using WasmKube.Guest.Cil;
using WasmKube.Guest.Wasmtime;

namespace WasmKube.Wasi.Tests.Adversarial;

/// <summary>An engine that runs a WASI command module bound to this project's WASI implementation.</summary>
public interface IGuestRunner
{
    /// <summary>The name shown in test cases.</summary>
    string Name { get; }

    /// <summary>
    /// Runs <c>_start</c> of the module at <paramref name="modulePath"/> with <paramref name="context"/> and returns the
    /// exit code as the guest host defines it (0, n for proc_exit(n), 134 for a trap, whose report goes to
    /// <paramref name="diagnostics"/>).
    /// </summary>
    int Run(string modulePath, WasiContext context, TextWriter diagnostics);
}

/// <summary>The engines every adversarial case runs on: both engines of the guest host, binding the same WASI.</summary>
public static class GuestRunners
{
    public static IReadOnlyList<IGuestRunner> All { get; } =
    [
        new EngineRunner(WasmtimeGuestEngine.EngineName, () => new WasmtimeGuestEngine()),
        new EngineRunner(CilGuestEngine.EngineName, () => new CilGuestEngine()),
    ];

    public static IGuestRunner Named(string name) => All.Single(r => r.Name == name);
}

/// <summary>
/// One engine through the guest host's engine interface, on a context the test built (so that it can force the
/// resolution mode); each module is compiled once per test run.
/// </summary>
public sealed class EngineRunner(string name, Func<IGuestEngine> create) : IGuestRunner
{
    private readonly ConcurrentDictionary<string, Lazy<GuestModule>> _modules = new();
    private readonly Lazy<IGuestEngine> _engine = new(create);

    public string Name => name;

    public int Run(string modulePath, WasiContext context, TextWriter diagnostics)
    {
        var module = _modules.GetOrAdd(modulePath, path => new Lazy<GuestModule>(() => _engine.Value.Compile(File.ReadAllBytes(path), Path.GetFileNameWithoutExtension(path)))).Value;
        try
        {
            using var instance = module.Instantiate(new WasiPreview1(context), new GuestLimits());
            instance.Run();
            return 0;
        }
        catch (WasiExitException exit)
        {
            return exit.ExitCode;
        }
        catch (GuestTrapException trap)
        {
            diagnostics.WriteLine(trap.Message);
            return GuestExitCodes.Trapped;
        }
    }
}
