using System.Collections.Concurrent;
using WasmKube.Runtime;

namespace WasmKube.Wasi.Tests.Adversarial;

/// <summary>An engine that runs a WASI command module bound to this project's WASI implementation.</summary>
public interface IGuestRunner
{
    /// <summary>The name shown in test cases.</summary>
    string Name { get; }

    /// <summary>
    /// Runs <c>_start</c> of the module at <paramref name="modulePath"/> with <paramref name="context"/> and returns the
    /// exit code as <see cref="WasiCommand.Run"/> defines it (0, n for proc_exit(n), 134 for a trap, whose
    /// description goes to <paramref name="diagnostics"/>).
    /// </summary>
    int Run(string modulePath, WasiContext context, TextWriter diagnostics);
}

/// <summary>The engines every adversarial case runs on; another engine binding the same WASI is added here.</summary>
public static class GuestRunners
{
    public static IReadOnlyList<IGuestRunner> All { get; } = [new WasmKubeEngineRunner()];

    public static IGuestRunner Named(string name) => All.Single(r => r.Name == name);
}

/// <summary>This project's engine, through <see cref="WasiCommand.Run"/>; each module is compiled once per test run.</summary>
public sealed class WasmKubeEngineRunner : IGuestRunner
{
    private static readonly Engine SharedEngine = new();
    private static readonly ConcurrentDictionary<string, Lazy<Module>> Modules = new();

    public string Name => "wasmkube";

    public int Run(string modulePath, WasiContext context, TextWriter diagnostics)
    {
        var module = Modules.GetOrAdd(modulePath, path => new Lazy<Module>(() => Module.FromFile(SharedEngine, path))).Value;
        return WasiCommand.Run(new Store(SharedEngine), module, context, diagnostics);
    }
}
