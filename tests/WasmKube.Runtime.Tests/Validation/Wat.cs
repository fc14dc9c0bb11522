using System.Diagnostics;

namespace WasmKube.Runtime.Tests.Validation;

/// <summary>Assembles WebAssembly text with wabt's <c>wat2wasm</c>, without its validation, so invalid modules can be built.</summary>
internal static class Wat
{
    public static byte[] Compile(string text)
    {
        var directory = Directory.CreateTempSubdirectory("wasmkube-wat-");
        try
        {
            var source = Path.Combine(directory.FullName, "module.wat");
            var output = Path.Combine(directory.FullName, "module.wasm");
            File.WriteAllText(source, text);
            var start = new ProcessStartInfo("wat2wasm")
            {
                ArgumentList = { "--no-check", "--enable-all", source, "-o", output },
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            using var process = Process.Start(start)
                ?? throw new InvalidOperationException("could not start wat2wasm; install wabt");
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"wat2wasm failed on the test's module text: {errors}");
            }

            return File.ReadAllBytes(output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
