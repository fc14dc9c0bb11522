namespace WasmKube.Shim.Tests.Infrastructure;

/// <summary>Builds the test guests (Guests/*.wat with wat2wasm, Guests/*.c with clang for wasm32-wasi) into a directory.</summary>
internal static class TestGuests
{
    public static string SourceDirectory => Path.Combine(AppContext.BaseDirectory, "Guests");

    public static async Task<string> BuildAsync(string outputDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        foreach (var wat in Directory.GetFiles(SourceDirectory, "*.wat"))
        {
            await Commands.CheckedAsync("wat2wasm", wat, "-o", Path.Combine(outputDirectory, Path.GetFileNameWithoutExtension(wat) + ".wasm"));
        }

        foreach (var c in Directory.GetFiles(SourceDirectory, "*.c"))
        {
            await Commands.CheckedAsync("clang", "--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-o",
                Path.Combine(outputDirectory, Path.GetFileNameWithoutExtension(c) + ".wasm"), c);
        }

        return outputDirectory;
    }
}
