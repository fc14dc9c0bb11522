using System.Diagnostics;

namespace WasmKube.Runtime.Tests;

/// <summary>Builds test modules from WebAssembly text with wabt's wat2wasm (installed on CI and dev machines).</summary>
internal static class Wat
{
    /// <summary>
    /// Assembles <paramref name="text"/>. With <paramref name="validate"/> false, wat2wasm skips its own validation,
    /// so the validator's tests can build invalid modules.
    /// </summary>
    public static byte[] ToWasm(string text, bool validate = true)
    {
        var directory = Directory.CreateTempSubdirectory("wasmkube-wat-");
        try
        {
            var source = Path.Combine(directory.FullName, "module.wat");
            var output = Path.Combine(directory.FullName, "module.wasm");
            File.WriteAllText(source, text);
            var start = new ProcessStartInfo("wat2wasm", [.. validate ? Array.Empty<string>() : ["--no-check"], "--enable-all", "--debug-names", source, "-o", output])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("wat2wasm did not start");
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"wat2wasm failed: {errors}");
            return File.ReadAllBytes(output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Compiles and instantiates <paramref name="text"/> with no imports, in a fresh store.</summary>
    public static Instance Instantiate(string text, EngineOptions? options = null, Linker? linker = null, Store? store = null)
    {
        var engine = store?.Engine ?? new Engine(options);
        var module = Module.FromBytes(engine, ToWasm(text));
        return (linker ?? new Linker()).Instantiate(store ?? new Store(engine), module);
    }
}
