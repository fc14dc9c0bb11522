using System.Diagnostics;
using WasmKube.Guest;
using WasmKube.Guest.Cil;
using WasmKube.Guest.Wasmtime;

namespace WasmKube.Wasi.Tests;

/// <summary>Both engines behind the guest host, as theory data: every test that runs a guest runs it on each.</summary>
public static class GuestEngines
{
    public static TheoryData<string> Names => new(WasmtimeGuestEngine.EngineName, CilGuestEngine.EngineName);

    public static IGuestEngine Create(string name, bool meterFuel = false) => name switch
    {
        WasmtimeGuestEngine.EngineName => new WasmtimeGuestEngine(meterFuel: meterFuel),
        CilGuestEngine.EngineName => new CilGuestEngine(meterFuel: meterFuel),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not an engine"),
    };

    /// <summary>Runs a module given as WebAssembly text (assembled with wat2wasm) on the named engine.</summary>
    public static GuestResult RunWat(string engine, string directory, string wat, WasiConfiguration wasi, GuestLimits? limits = null,
        TimeSpan? timeout = null)
    {
        var module = Assemble(directory, wat);
        using var guestEngine = Create(engine, meterFuel: limits?.Fuel is not null);
        return GuestHost.Run(guestEngine, new GuestRequest { ModulePath = module, Wasi = wasi, Limits = limits ?? new(), Timeout = timeout });
    }

    public static string Assemble(string directory, string wat)
    {
        var source = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".wat");
        var binary = Path.ChangeExtension(source, ".wasm");
        File.WriteAllText(source, wat);
        using var wat2wasm = Process.Start(new ProcessStartInfo("wat2wasm", [source, "-o", binary]) { RedirectStandardError = true })!;
        var stderr = wat2wasm.StandardError.ReadToEnd();
        wat2wasm.WaitForExit();
        Assert.True(wat2wasm.ExitCode == 0, stderr);
        return binary;
    }
}
