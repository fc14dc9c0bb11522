using WasmKube.Runtime;

namespace WasmKube.Cli;

/// <summary>Reads and compiles the module a command was given, turning every way it can be wrong into one clear line.</summary>
internal static class ModuleLoader
{
    private static ReadOnlySpan<byte> Magic => "\0asm"u8;

    public static byte[] ReadModuleBytes(string path)
    {
        if (Directory.Exists(path)) throw new CliException($"{path} is a directory; give the path of a .wasm module");
        if (!File.Exists(path)) throw new CliException($"{path}: no such file; give the path of a .wasm module");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: cannot read the module: {e.Message}");
        }

        if (bytes.Length < 8 || !bytes.AsSpan(0, 4).SequenceEqual(Magic))
            throw new CliException($"{path} is not a WebAssembly module: it does not start with the \\0asm magic bytes (a .wat text file must be assembled first, e.g. with wat2wasm)");
        var version = BitConverter.ToUInt32(bytes, 4);
        if (version != 1)
        {
            throw new CliException((version & 0xFFFF) == 0x0d
                ? $"{path} is a WebAssembly component, not a core module; wasmkube runs core modules built for wasm32-wasi (preview1)"
                : $"{path} has WebAssembly binary version {version}; only version 1 is supported");
        }

        return bytes;
    }

    public static Module Compile(Engine engine, byte[] bytes, string path)
    {
        try
        {
            return Module.FromBytes(engine, bytes, Path.GetFileNameWithoutExtension(path));
        }
        catch (MalformedModuleException e)
        {
            throw new CliException($"{path} is not a valid WebAssembly module: {e.Message}");
        }
        catch (InvalidModuleException e)
        {
            throw new CliException($"{path} fails validation: {e.Message}");
        }
    }
}
