using System.CommandLine;
using WasmKube.Guest;
#if !NATIVE_FRONT
using WasmKube.Guest.Cil;
#endif
using WasmKube.Guest.Wasmtime;

namespace WasmKube.Cli;

/// <summary>The engines <c>--engine</c> selects: Wasmtime by default, or our own wasm-to-CIL compiler.</summary>
internal static class Engines
{
    /// <summary>Our own engine, by the name the operator, shim and executors share.</summary>
    public const string Own = Contracts.Engines.WasmKube;

    public static IReadOnlyList<string> Names { get; } = [WasmtimeGuestEngine.EngineName, Own];

    public static Option<string> Option()
    {
        var option = new Option<string>("--engine")
        {
            Description = $"The engine: {WasmtimeGuestEngine.EngineName} (default; Cranelift native code) or {Own} (our own wasm-to-CIL compiler). Both run the same WASI.",
            HelpName = string.Join('|', Names),
            DefaultValueFactory = _ => WasmtimeGuestEngine.EngineName,
        };
        option.AcceptOnlyFromAmong([.. Names]);
        return option;
    }

    /// <summary>
    /// The engine for one command: the process ends with its guest, so Wasmtime compiles no interruption checks (a
    /// stopped guest is left to the process's end), and caches what the node's executors load.
    /// </summary>
    public static IGuestEngine Create(string name, string? cacheDirectory, bool meterFuel = false, string? readyToRunCompiler = null,
        Action<string>? diagnostic = null) => name switch
    {
#if NATIVE_FRONT
        Own => throw new InvalidOperationException($"the {Own} engine runs in {JitProgram.Path}, not in this NativeAOT program"),
#else
        Own => new CilGuestEngine(cacheDirectory, meterFuel, readyToRunCompiler, diagnostic),
#endif
        _ => new WasmtimeGuestEngine(cacheDirectory, meterFuel, interruptible: false),
    };
}
