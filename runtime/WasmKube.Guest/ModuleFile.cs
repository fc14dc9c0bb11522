namespace WasmKube.Guest;

/// <summary>Reads a module file and tells every way it can be unusable in one line naming the file.</summary>
public static class ModuleFile
{
    private static ReadOnlySpan<byte> Magic => "\0asm"u8;

    /// <exception cref="ModuleFileException">Missing, unreadable, or not a WebAssembly core module.</exception>
    public static byte[] Read(string path, string? displayName = null)
    {
        var name = displayName ?? path;
        if (Directory.Exists(path)) throw new ModuleFileException(GuestExitCodes.NotExecutable, $"{name} is a directory; give the path of a .wasm module");
        if (!File.Exists(path)) throw new ModuleFileException(GuestExitCodes.NotFound, $"{name}: no such file; give the path of a .wasm module");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModuleFileException(GuestExitCodes.NotExecutable, $"{name}: cannot read the module: {e.Message}");
        }

        if (bytes.Length < 8 || !bytes.AsSpan(0, 4).SequenceEqual(Magic))
            throw new ModuleFileException(GuestExitCodes.NotExecutable, $"{name} is not a WebAssembly module: it does not start with the \\0asm magic bytes (a .wat text file must be assembled first, e.g. with wat2wasm)");
        var version = BitConverter.ToUInt32(bytes, 4);
        if (version != 1)
        {
            throw new ModuleFileException(GuestExitCodes.NotExecutable, (version & 0xFFFF) == 0x0d
                ? $"{name} is a WebAssembly component, not a core module; wasmkube runs core modules built for wasm32-wasi (preview1)"
                : $"{name} has WebAssembly binary version {version}; only version 1 is supported");
        }

        return bytes;
    }
}

public sealed class ModuleFileException(int exitCode, string message) : Exception(message)
{
    /// <summary>What a run that cannot start for this reason exits with (<see cref="GuestExitCodes"/>).</summary>
    public int ExitCode { get; } = exitCode;
}
