using System.CommandLine;
using WasmKube.Guest;
using WasmKube.Guest.Cil;
using WasmKube.Guest.Wasmtime;

namespace WasmKube.Cli;

/// <summary>The engines <c>--engine</c> selects: Wasmtime by default, or our own wasm-to-CIL compiler.</summary>
internal static class Engines
{
    public static IReadOnlyList<string> Names { get; } = [WasmtimeGuestEngine.EngineName, CilGuestEngine.EngineName];

    public static Option<string> Option()
    {
        var option = new Option<string>("--engine")
        {
            Description = $"The engine: {WasmtimeGuestEngine.EngineName} (default; Cranelift native code) or {CilGuestEngine.EngineName} (our own wasm-to-CIL compiler). Both run the same WASI.",
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
        CilGuestEngine.EngineName => new CilGuestEngine(cacheDirectory, meterFuel, readyToRunCompiler, diagnostic),
        _ => new WasmtimeGuestEngine(cacheDirectory, meterFuel, interruptible: false),
    };
}
