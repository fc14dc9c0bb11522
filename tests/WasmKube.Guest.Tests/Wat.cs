using System.Diagnostics;

namespace WasmKube.Guest.Tests;

/// <summary>Assembles WebAssembly text with wabt's wat2wasm into a module file.</summary>
internal static class Wat
{
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
